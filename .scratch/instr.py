p='dist/domain/metrics/get-incident-report.js'
s=open(p).read()
s=s.replace("await streamIncidents(db, scope, (row) => acc.add(row));","let T=performance.now(); await streamIncidents(db, scope, (row) => acc.add(row)); console.log('  stream', (performance.now()-T).toFixed(0));")
for f,call in [('pages','loadPages(db, scope),'),('ack','loadAcknowledgedTime(db, scope, now),'),('cadence','loadCadence(db, scope),')]:
    s=s.replace(call,"(async()=>{const t=performance.now(); const r=await "+call[:-1]+"; console.log('  "+f+"', (performance.now()-t).toFixed(0)); return r;})(),")
s=s.replace("return acc.finish(","T=performance.now(); const out= acc.finish(").replace("...(followUpCounts ? { followUps: followUpCounts } : {}) });","...(followUpCounts ? { followUps: followUpCounts } : {}) }); console.log('  finish', (performance.now()-T).toFixed(0)); return out;")
open(p,'w').write(s)
