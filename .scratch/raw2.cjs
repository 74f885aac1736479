const D=require('better-sqlite3');const db=new D('/tmp/fb-hp/s100k.db',{readonly:true});
const END=Date.UTC(2026,11,1),DAY=86400000;
const c=(x)=>`string_agg(coalesce(cast(${x} as text), ''), ',')`;
const B=db.prepare(`select ${c('detected_at')}, ${c('declared_at')}, ${c('acknowledged_at')}, ${c('mitigated_at')}, ${c('resolved_at')}, ${c('service_id')}, ${c('severity')}, ${c('is_drill')} from incidents where detected_at >= ? and detected_at < ?`).raw();
const C=db.prepare(`select service_id, severity, is_drill, ${c('detected_at')}, ${c('declared_at')}, ${c('acknowledged_at')}, ${c('mitigated_at')}, ${c('resolved_at')} from incidents where detected_at >= ? and detected_at < ? group by service_id, severity, is_drill`).raw();
const nums=(s)=>{const p=s.split(',');const a=new Float64Array(p.length);for(let i=0;i<p.length;i++)a[i]=p[i]===''?NaN:+p[i];return a;};
for(let i=0;i<3;i++){
let t=performance.now();const r=B.get(END-3*365*DAY,END);const t1=performance.now();const cols=r.map((s,j)=>j<5?nums(s):s.split(','));console.log('B',cols[0].length,(t1-t).toFixed(0),(performance.now()-t).toFixed(0));
t=performance.now();const rows=C.all(END-3*365*DAY,END);const t2=performance.now();let n=0;for(const row of rows){for(let j=3;j<8;j++){const a=nums(row[j]);if(j===3)n+=a.length;}}console.log('C',rows.length,n,(t2-t).toFixed(0),(performance.now()-t).toFixed(0));
}
console.log(db.prepare(`explain query plan select service_id, severity, is_drill, count(*) from incidents where detected_at >= ? and detected_at < ? group by service_id, severity, is_drill`).all(0,1));
