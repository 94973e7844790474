// Material for MkDocs 9.8.1, partials/javascripts/base.html, with the site root taken from this file's address
// (assets/paperarchive/md-base.js is two levels below it).
__md_scope=new URL("../..",document.currentScript.src),__md_hash=e=>[...e].reduce(((e,_)=>(e<<5)-e+_.charCodeAt(0)),0),__md_get=(e,_=localStorage,t=__md_scope)=>JSON.parse(_.getItem(t.pathname+"."+e)),__md_set=(e,_,t=localStorage,a=__md_scope)=>{try{t.setItem(a.pathname+"."+e,JSON.stringify(_))}catch(e){}}
// Material for MkDocs 9.8.1, partials/javascripts/palette.html, unchanged.
var palette=__md_get("__palette");if(palette&&palette.color){if("(prefers-color-scheme)"===palette.color.media){var media=matchMedia("(prefers-color-scheme: light)"),input=document.querySelector(media.matches?"[data-md-color-media='(prefers-color-scheme: light)']":"[data-md-color-media='(prefers-color-scheme: dark)']");palette.color.media=input.getAttribute("data-md-color-media"),palette.color.scheme=input.getAttribute("data-md-color-scheme"),palette.color.primary=input.getAttribute("data-md-color-primary"),palette.color.accent=input.getAttribute("data-md-color-accent")}for(var[key,value]of Object.entries(palette.color))document.body.setAttribute("data-md-color-"+key,value)}
// Material's language-version handler (setupAlternate in its bundle) fetches the sitemap.xml beside the
// href of every <link rel="alternate">: beside a topic's feeds (topics/<id>/feed.xml, atom.xml, feed.json)
// that is topics/<id>/sitemap.xml, which does not exist: three 404s on every topic page. The handler is
// written for language versions, which carry hreflang; its one query is narrowed to those (this archive
// has none), so feeds stay plain rel="alternate" links that every feed reader finds.
{const q=Document.prototype.querySelectorAll;Document.prototype.querySelectorAll=function(s){return q.call(this,s==="link[rel=alternate]"?"link[rel=alternate][hreflang]":s)}}
