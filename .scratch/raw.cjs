const D=require('better-sqlite3');const db=new D('/tmp/fb-hp/s100k.db',{readonly:true});
const END=Date.UTC(2026,11,1),DAY=86400000;
const st=db.prepare(`select detected_at, declared_at, acknowledged_at, mitigated_at, resolved_at, service_id, severity, is_drill from incidents where detected_at >= ? and detected_at < ? order by detected_at, id`).raw();
for(let i=0;i<3;i++){let t=performance.now();let n=0;for(const r of st.iterate(END-3*365*DAY,END)){n++;}console.log('raw iterate 3y',n,(performance.now()-t).toFixed(0));}
let t=performance.now();const all=st.all(END-3*365*DAY,END);console.log('raw all',all.length,(performance.now()-t).toFixed(0));
console.log(db.prepare('explain query plan select detected_at, declared_at, acknowledged_at, mitigated_at, resolved_at, service_id, severity, is_drill from incidents where detected_at >= ? and detected_at < ? order by detected_at, id').all());
