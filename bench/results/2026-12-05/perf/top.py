import sys, re, collections, subprocess
# usage: top.py file.jfr [N] [filter-thread-substring]
f = sys.argv[1]; n = int(sys.argv[2]) if len(sys.argv) > 2 else 25
out = subprocess.run(['jfr', 'print', '--events', 'jdk.ExecutionSample', '--stack-depth', '64', f], capture_output=True, text=True).stdout
self_c = collections.Counter(); incl = collections.Counter(); total = 0
for ev in out.split('jdk.ExecutionSample')[1:]:
    frames = re.findall(r'^\s+([\w$.<>/]+)\(.*?line:', ev, re.M)
    if not frames: continue
    total += 1
    self_c[frames[0]] += 1
    for fr in set(frames): incl[fr] += 1
print(f"samples={total}")
print("-- self --")
for k, v in self_c.most_common(n): print(f"{100*v/total:5.1f}% {k}")
print("-- inclusive (iotgrid/jackson/kafka selected) --")
for k, v in incl.most_common(400):
    if re.search(r'iotgrid|jackson|StreamKafkaP|Fetcher|CompletedFetch|FloatingDecimal|EventTimeMapper|ProcessorTasklet|OutboxImpl|serializ|Ringbuffer|KafkaConsumer', k):
        print(f"{100*v/total:5.1f}% {k}")
