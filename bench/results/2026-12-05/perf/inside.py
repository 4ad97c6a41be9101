import sys, re, collections, subprocess
f, proc = sys.argv[1], sys.argv[2]
out = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '96', f], capture_output=True, text=True).stdout
c = collections.Counter(); n = 0
for ev in out.split('jdk.ExecutionSample')[1:]:
    frames = re.findall(r'^\s+([\w$.<>/]+)\(', ev, re.M)
    if not any(proc in fr for fr in frames): continue
    n += 1
    i = max(k for k, fr in enumerate(frames) if proc in fr)
    ours = [fr for fr in frames[:i] if 'iotgrid' in fr]
    c[(ours[-1] if ours else 'no iotgrid frame') + ' | leaf ' + frames[0]] += 1
print(proc, n)
for k, v in c.most_common(int(sys.argv[3]) if len(sys.argv) > 3 else 12): print(v, k)
