import sys, re, collections
# What Jet's key partitioning (Edge$KeyPartitioner) spent its samples in, and which processor emitted.
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
callee = collections.Counter(); emitter = collections.Counter()
for sm in samples:
    i = next((i for i, f in enumerate(sm) if 'Edge$KeyPartitioner.getPartition' in f), None)
    if i is None:
        continue
    callee[' / '.join(f.split('(')[0] for f in sm[max(0, i - 3):i])] += 1
    emitter[next((f.split('(')[0] for f in sm[i:] if f.startswith(('io.iotgrid', 'com.hazelcast.jet.impl.processor'))), '?')] += 1
print('samples', len(samples))
print('Edge$KeyPartitioner.getPartition, by what it called (3 frames up):')
for k, v in callee.most_common(6):
    print('  %5d %5.1f%%  %s' % (v, 100.0 * v / len(samples), k))
print('by the processor that emitted:')
for k, v in emitter.most_common(6):
    print('  %5d %5.1f%%  %s' % (v, 100.0 * v / len(samples), k))
