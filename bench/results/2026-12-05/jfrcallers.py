import sys, re, collections
# Callers of the samples whose top frame contains sys.argv[2]: the next N frames, counted.
target = sys.argv[2]; depth = int(sys.argv[3]) if len(sys.argv) > 3 else 4
samples = []; cur = None; inst = False
for line in open(sys.argv[1], errors='replace'):
    s = line.strip()
    if s.startswith('jdk.ExecutionSample'):
        cur = []; samples.append(cur); inst = False
    elif s.startswith('stackTrace = ['):
        inst = True
    elif inst and s == ']':
        inst = False
    elif inst and s and s != '...':
        cur.append(re.sub(r'\s+line:.*', '', s))
c = collections.Counter(' <- '.join(f.split('(')[0].rsplit('.', 2)[-2] + '.' + f.split('(')[0].rsplit('.', 1)[-1] for f in sm[1:1 + depth]) for sm in samples if sm and target in sm[0])
tot = sum(c.values())
for k, v in c.most_common(8):
    print('%5d %5.1f%%  %s' % (v, 100.0 * v / len(samples), k))
