"""Lists the package cycles of platform-api (strongly connected packages, by their imports).

Usage, from the repository root: python3 scripts/package-cycles.py [package-directory]
"""
import os, re, sys

os.chdir(sys.argv[1] if len(sys.argv) > 1 else "platform-api/src/main/java/dev/nanolet/platform")
g={}
for d in os.listdir('.'):
    if not os.path.isdir(d): continue
    for f in os.listdir(d):
        s=open(os.path.join(d,f)).read()
        for m in re.findall(r'import (?:static )?dev\.nanolet\.platform\.(\w+)\.',s):
            if m!=d and os.path.isdir(m): g.setdefault(d,set()).add(m)
idx={};low={};st=[];on=set();res=[];c=[0]
def sc(v):
    idx[v]=low[v]=c[0];c[0]+=1;st.append(v);on.add(v)
    for w in g.get(v,()):
        if w not in idx: sc(w);low[v]=min(low[v],low[w])
        elif w in on: low[v]=min(low[v],idx[w])
    if low[v]==idx[v]:
        comp=[]
        while True:
            w=st.pop();on.discard(w);comp.append(w)
            if w==v:break
        if len(comp)>1: res.append(comp)
for v in list(g):
    if v not in idx: sc(v)
for comp in res:
    print(sorted(comp))
    for a in sorted(comp): print(' ',a,'->',sorted(x for x in g.get(a,()) if x in comp))
