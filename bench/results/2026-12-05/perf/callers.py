import sys, re, collections, subprocess
f, target = sys.argv[1], sys.argv[2]
out = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '64', f], capture_output=True, text=True).stdout
c = collections.Counter(); total=0
for ev in out.split('jdk.ExecutionSample')[1:]:
    frames = re.findall(r'^\s+([\w$.<>/]+)\(.*?line: (\d+)', ev, re.M)
    if not frames: continue
    total += 1
    if frames[0][0] == target:
        c[' <- '.join(f'{a.split(".")[-1]}:{b}' for a, b in frames[1:5])] += 1
for k, v in c.most_common(8): print(v, k)
