#!/usr/bin/env python3
# cases4.txt cases6.txt nft4.txt -> C initialisers for tests/unit/check_nft.c
import sys
def cstr(s): return '"' + s.replace('\\','\\\\').replace('"','\\"') + '"'
def hexlines(h, ind):
    parts=[h[i:i+64] for i in range(0,len(h),64)] or ['']
    return ('\n'+ind).join('"%s"'%p for p in parts)
def parse(path):
    cases=[]; cur=None
    for line in open(path):
        line=line.rstrip('\n')
        tag,_,rest=line.partition(' ')
        if tag in ('ARGS','NFT'):
            cur={'args':rest,'send':'','kern':'','expr':[],'list':''}; cases.append(cur)
        elif tag=='SEND': cur['send']=rest
        elif tag=='KERN': cur['kern']=rest
        elif tag=='EXPR': cur['expr'].append(rest)
        elif tag=='LIST': cur['list']=rest
    return cases
out=[]
for path,fam in (('cases4.txt','NFPROTO_IPV4'),('cases6.txt','NFPROTO_IPV6'),('nft4.txt','NFPROTO_IPV4')):
    for c in parse(path):
        ind='\t\t  '
        out.append('\t{ %s, %s,\n\t\t%s,\n\t\t%s,\n\t\t%s,\n\t\t%s },' % (
            fam, cstr(c['args']), cstr(c['list']),
            hexlines(c['send'],ind) if c['send'] else 'NULL',
            hexlines(c['kern'],ind),
            ('\n'+ind).join(cstr(e+'\\n').replace('\\\\n','\\n') for e in c['expr'])))
print('\n'.join(out))
