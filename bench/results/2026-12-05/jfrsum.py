import sys, re, collections
# Sums JFR execution samples (jfr print --events jdk.ExecutionSample --stack-depth 96): top self frames, and
# samples whose stack holds a frame matching each pattern (inclusive).
pats = sys.argv[2:]
samples = []; cur = None; inst = False
for line in open(sys.argv[1], errors='replace'):
    s = line.strip()
    if s.startswith('jdk.ExecutionSample'):
        cur = {'thread': '', 'frames': []}; samples.append(cur); inst = False
    elif cur is not None and s.startswith('sampledThread'):
        cur['thread'] = s
    elif cur is not None and s.startswith('stackTrace = ['):
        inst = True
    elif inst and s == ']':
        inst = False
    elif inst and s and s != '...':
        cur['frames'].append(re.sub(r'\s+line:.*', '', s))
n = len(samples)
print('samples', n)
selfc = collections.Counter(sm['frames'][0] for sm in samples if sm['frames'])
print('top self frames:')
for f, c in selfc.most_common(25):
    print('  %5.1f%%  %s' % (100.0 * c / n, f))
print('inclusive, by pattern:')
for p in pats:
    c = sum(1 for sm in samples if any(p in f for f in sm['frames']))
    print('  %5.1f%%  %s' % (100.0 * c / n, p))
