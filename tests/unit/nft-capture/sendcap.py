#!/usr/bin/env python3
# Inside a netns: run `<ipt> -A INPUT <args>` under strace, print the NEWRULE netlink message (hex)
import subprocess, sys, re
ipt = sys.argv[1]; chain = sys.argv[2]; args = sys.argv[3:]
out = subprocess.run(['strace','-f','-e','trace=sendmsg','-e','write=all','-xx', ipt,'-A',chain]+args,
                     capture_output=True, text=True).stderr
bufs=[]; cur=None
for line in out.splitlines():
    m = re.match(r'\s*\|\s*([0-9a-f]{5})\s+((?:[0-9a-f]{2}\s+)+)', line)
    if m:
        off=int(m.group(1),16)
        if off==0:
            cur=bytearray(); bufs.append(cur)
        cur += bytes.fromhex(m.group(2).replace(' ',''))
for b in bufs:
    i=0
    while i+16<=len(b):
        ln=int.from_bytes(b[i:i+4],'little'); typ=int.from_bytes(b[i+4:i+6],'little')
        if typ==(10<<8|6):
            print(b[i:i+ln].hex())
        i+=(ln+3)&~3
