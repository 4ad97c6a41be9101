import sys, re, collections, subprocess
f = sys.argv[1]
out = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '96', f], capture_output=True, text=True).stdout
c = collections.Counter(); total = 0
for ev in out.split('jdk.ExecutionSample')[1:]:
    frames = re.findall(r'^\s+([\w$.<>/]+)\(', ev, re.M)
    if not frames: continue
    total += 1
    idx = [i for i, fr in enumerate(frames) if 'ProcessorTasklet' in fr]
    if not idx:
        th = re.search(r'sampledThread = "([^"]*)"', ev)
        name = th.group(1) if th else '?'
        name = re.sub(r'\d+', 'N', name)
        c['(not in a processor) thread ' + name] += 1; continue
    i = idx[0]
    # walk down from the tasklet towards the leaf: first frame of a processor class that is not generic plumbing
    key = None
    for fr in reversed(frames[:i]):
        cls = fr.rsplit('.', 1)[0]
        if re.search(r'(P|Processor|Sink|Source|Buffered|Mapper)\b|processors|impl\.processor|jobs\.impl|iotgrid', cls.split('.')[-1]) or 'iotgrid' in cls or 'processor' in cls:
            if cls.endswith('AbstractProcessor') or 'Outbox' in cls or 'Inbox' in cls: continue
            key = cls; break
    c[key or frames[i-1].rsplit('.',1)[0]] += 1
print(f'samples={total}')
for k, v in c.most_common(22): print(f'{100*v/total:5.1f}% {k}')
