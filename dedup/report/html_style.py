"""The HTML report's style sheet (one ``<style>`` element; no fonts, images or scripts)."""

__all__ = ["STYLE"]

# Okabe-Ito colours (told apart with any colour vision), each kind with its own line style.
STYLE = """
:root{--copy:#D55E00;--paraphrase:#0072B2;--quote:#CC79A7;--ink:#1b1b1b;--muted:#6b6b6b;--line:#d8d8d8;
--bg:#fff;--panel:#f6f6f4}
*{box-sizing:border-box}
body{margin:0;font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--ink);background:var(--bg)}
header{position:sticky;top:0;z-index:2;background:var(--bg);border-bottom:1px solid var(--line);padding:.5rem 1rem;
display:flex;flex-wrap:wrap;gap:.3rem 1.5rem;align-items:baseline}
header h1{font-size:1.15rem;margin:0;overflow-wrap:anywhere}
nav{display:flex;flex-wrap:wrap;gap:0 .8rem;min-width:0}
main{padding:0 1rem 2rem;max-width:1400px;margin:0 auto}
footer{color:var(--muted);font-size:.8rem;padding:1rem;border-top:1px solid var(--line)}
footer dl{display:grid;grid-template-columns:max-content 1fr;gap:0 1rem;margin:.3rem 0}
footer dd{margin:0;font-family:ui-monospace,monospace}
h2{margin-top:2rem;border-bottom:2px solid var(--ink);padding-bottom:.2rem}
h3{font-size:1rem;margin:.2rem 0;overflow-wrap:anywhere}
a{color:#0b57a4}
section,article,[id]{scroll-margin-top:3.5rem}
.counts{display:grid;grid-template-columns:repeat(auto-fill,minmax(11rem,1fr));gap:.5rem;margin:0}
.counts div{background:var(--panel);padding:.5rem .7rem;border-radius:6px}
.counts dt{color:var(--muted);font-size:.8rem}.counts dd{margin:0;font-size:1.4rem;font-weight:600}
.note{color:var(--muted)}
.group{border:1px solid var(--line);border-radius:8px;padding:.5rem .8rem;margin:.6rem 0}
.group h3 .arrow{color:var(--muted)}
.group ul{margin:.3rem 0;padding-left:1.2rem}
.share,.confidence,.meta,.badge,.doc-title{color:var(--muted);font-size:.85rem}
.go{font-size:.85rem}
.scroll{overflow-x:auto}
.ranked{border-collapse:collapse;width:100%;font-size:.9rem}
.ranked th,.ranked td{text-align:left;padding:.3rem .5rem;border-bottom:1px solid var(--line);vertical-align:top}
.ranked td{overflow-wrap:anywhere;word-break:break-word}
.ranked td bdi{word-break:break-all}
.ranked td.num,.ranked th.num{text-align:right;white-space:nowrap}
@media (max-width:760px){.ranked .wide{display:none}}
.pair,.document,.repeat{border:1px solid var(--line);border-radius:8px;padding:.6rem .8rem;margin:.8rem 0;
content-visibility:auto;contain-intrinsic-size:auto 600px}
.document{contain-intrinsic-size:auto 160px}
.passage{margin:.8rem 0;border-left:4px solid var(--line);padding-left:.6rem}
.passage.k-copy{border-left-color:var(--copy)}.passage.k-paraphrase{border-left-color:var(--paraphrase)}
.passage.k-quote{border-left-color:var(--quote)}
.passage>.meta{margin:.1rem 0 .3rem}
.rows{display:grid;grid-template-columns:2rem 1fr 1fr;gap:.25rem .8rem;font-size:.9rem}
.rows .n{color:var(--muted);font-size:.8rem;text-align:right;padding-top:.15rem}
.rows .cell{min-width:0;white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:plaintext}
.rows .context,.rows .gap{color:var(--muted)}
.rows .head{font-size:.8rem;color:var(--muted);overflow-wrap:anywhere}
@media (max-width:760px){.rows{grid-template-columns:1.6rem 1fr}.rows .cell.b{grid-column:2}
.rows .head{display:none}}
.s{color:inherit;text-decoration:none;border-bottom:3px solid;padding:0 1px}
.s:target{outline:2px solid var(--ink);outline-offset:1px}
.full{margin-top:.6rem}
.full summary{cursor:pointer;color:#0b57a4}
.sides{display:grid;grid-template-columns:1fr 1fr;gap:.8rem}
@media (max-width:760px){.sides{grid-template-columns:1fr}}
.side{min-width:0}
.doc-name{font-size:.85rem;color:var(--muted);margin-bottom:.2rem}
.text{white-space:pre-wrap;overflow-wrap:anywhere;unicode-bidi:plaintext;background:var(--panel);padding:.6rem;
border-radius:6px;max-height:80vh;overflow:auto;font-size:.9rem}
.m{color:inherit;text-decoration:none;border-bottom:3px solid;padding:0 1px}
.k-copy .s,.m.k-copy,.s.k-copy{background:#f9d9c2;border-bottom-style:solid;border-color:var(--copy)}
.k-paraphrase .s,.m.k-paraphrase{background:#cde4f3;border-bottom-style:dashed;border-color:var(--paraphrase)}
.k-quote .s,.m.k-quote{background:#f3dcea;border-bottom-style:dotted;border-color:var(--quote)}
.label,.start[data-label]::before{font-size:.65rem;font-weight:700;text-transform:uppercase;
color:#fff;border-radius:3px;padding:0 .25rem;margin-right:.2rem;vertical-align:.1rem}
.start[data-label]::before{content:attr(data-label)}
.label.k-copy,.start.k-copy::before{background:var(--copy)}
.label.k-paraphrase,.start.k-paraphrase::before{background:var(--paraphrase)}
.label.k-quote,.start.k-quote::before{background:#9b4f7c}
.start{background:none;border:0}
.start:target::before{outline:3px solid var(--ink);outline-offset:1px}
.chrome,.dim{opacity:.45}
.legend span{margin-right:.6rem}
.verdict{font-size:.75rem;border-radius:3px;padding:0 .35rem;margin-left:.4rem;color:#fff;background:var(--muted)}
.v-derived{background:var(--copy)}.v-original{background:#009E73}
.url{font-size:.8rem;overflow-wrap:anywhere}
.evidence{color:var(--muted);font-size:.85rem}
.pager{margin:.5rem 0;display:flex;flex-wrap:wrap;gap:.3rem}
.pager a{padding:0 .35rem;border:1px solid var(--line);border-radius:4px;text-decoration:none}
.page{display:none}
.page:target,.page:has(:target){display:block}
.pages:not(:has(:target))>.page:first-child{display:block}
"""
