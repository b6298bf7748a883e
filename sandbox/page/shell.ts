/**
 * The page itself: a Slack-like layout, its styles and a small script that keeps it live
 * (Server-Sent Events: "something changed", then it fetches the viewer's screen) and turns
 * clicks, picks, the composer and modal forms into requests to the sandbox.
 */
import { escapeHtml } from '../render/mrkdwn';

export interface ShellOptions {
  people: Array<{ id: string; name: string; title: string }>;
  commands: Array<{ command: string; description: string; usage: string }>;
  workspaceName: string;
}

const STYLES = `
*{box-sizing:border-box}body{margin:0;font:15px/1.46 -apple-system,"Segoe UI",Roboto,Helvetica,Arial,sans-serif;color:#1d1c1d;background:#fff}
.app{display:grid;grid-template-columns:260px 1fr;grid-template-rows:44px 1fr;height:100vh}
.topbar{grid-column:1/3;background:#350d36;color:#fff;display:flex;align-items:center;gap:16px;padding:0 16px}
.topbar h1{font-size:15px;margin:0}.topbar label{margin-left:auto;font-size:13px}.topbar select{margin-left:6px}
.sidebar{background:#3f0e40;color:#cfc3cf;overflow:auto;padding:8px 0}
.nav-heading{font-size:13px;font-weight:600;margin:16px 16px 4px;color:#cfc3cf}
.nav-list{list-style:none;margin:0;padding:0}.nav{display:block;width:100%;text-align:left;background:none;border:0;color:inherit;font:inherit;padding:4px 16px;cursor:pointer}
.nav:hover{background:#350d36}.nav[aria-current=page]{background:#1164a3;color:#fff}.nav.not-member{opacity:.7}.nav.archived{text-decoration:line-through}
.main{display:flex;flex-direction:column;min-height:0}
.channel-header{display:flex;justify-content:space-between;align-items:flex-start;padding:8px 20px;border-bottom:1px solid #ddd}
.channel-header h1{font-size:18px;margin:0}.topic,.channel-info{margin:0;font-size:13px;color:#616061}
.bookmarks{list-style:none;display:flex;gap:12px;margin:0;padding:6px 20px;border-bottom:1px solid #eee;font-size:13px}
#screen{flex:1;overflow:auto;display:flex;flex-direction:column}
.messages{list-style:none;margin:0;padding:8px 0;flex:1}
.message{padding:6px 20px;position:relative}.message:hover{background:#f8f8f8}.message.is-pinned{background:#fef9ec}
.message.ephemeral{background:#f4f7fb}.meta{font-size:15px}.time,.mark{font-size:12px;color:#616061;margin-left:6px}
.badge{font-size:10px;background:#ddd;border-radius:3px;padding:0 3px;color:#555}.only-you{font-style:italic}
.tools{display:flex;gap:6px;margin-top:2px}.tool{font-size:12px;background:#fff;border:1px solid #ddd;border-radius:4px;padding:1px 6px;cursor:pointer}
.menu-wrap{position:relative}.menu{position:absolute;z-index:5;list-style:none;margin:2px 0;padding:4px;background:#fff;border:1px solid #ccc;border-radius:6px;box-shadow:0 4px 12px rgba(0,0,0,.15);min-width:160px}
.menu button{display:block;width:100%;text-align:left;background:none;border:0;padding:4px 8px;font:inherit;cursor:pointer}.menu button:hover{background:#1164a3;color:#fff}
.reactions{list-style:none;display:flex;gap:4px;margin:4px 0 0;padding:0}.reaction{border:1px solid #1d9bd1;background:#e8f5fa;border-radius:12px;padding:0 6px;font-size:12px}
.block{margin:4px 0}.header{font-size:18px;margin:6px 0}.section{display:flex;gap:12px;justify-content:space-between}.fields{display:grid;grid-template-columns:1fr 1fr;gap:4px 16px;margin-top:4px}
.context{font-size:12px;color:#616061}.divider{border:0;border-top:1px solid #ddd}.actions{display:flex;flex-wrap:wrap;gap:8px}
.btn{font:inherit;font-size:14px;font-weight:600;border:1px solid #bbb;background:#fff;border-radius:4px;padding:3px 12px;cursor:pointer}.btn-primary{background:#007a5a;color:#fff;border-color:#007a5a}.btn-danger{background:#e01e5a;color:#fff;border-color:#e01e5a}
.mention{background:#e8f5fa;color:#1264a3;border-radius:3px;padding:0 2px}code{background:#f6f6f6;border:1px solid #ddd;border-radius:3px;padding:0 3px;color:#e01e5a}
pre{background:#f8f8f8;border:1px solid #ddd;border-radius:4px;padding:8px;white-space:pre-wrap}blockquote{border-left:4px solid #ddd;margin:4px 0;padding-left:8px}
.attachment{border-left:4px solid #ddd;padding-left:8px;margin:4px 0}.image{max-width:360px;border-radius:4px}.thumb{width:72px;height:72px;object-fit:cover}
.overflow summary{list-style:none;cursor:pointer;border:1px solid #bbb;border-radius:4px;padding:0 8px}.overflow ul{list-style:none;margin:0;padding:4px;border:1px solid #ccc;background:#fff;position:absolute;z-index:5}
.composer{border:1px solid #bbb;border-radius:8px;margin:8px 20px 16px;position:relative}.composer textarea{width:100%;border:0;resize:none;font:inherit;padding:10px;border-radius:8px}
.suggestions{position:absolute;bottom:100%;left:0;right:0;background:#fff;border:1px solid #ccc;border-radius:6px;list-style:none;margin:0 0 4px;padding:4px;max-height:260px;overflow:auto}
.suggestions li{padding:4px 8px;cursor:pointer}.suggestions li[aria-selected=true]{background:#1164a3;color:#fff}.suggestions small{opacity:.75;margin-left:8px}
.backdrop{position:fixed;inset:0;background:rgba(0,0,0,.45);display:flex;align-items:center;justify-content:center;z-index:10}
.modal{background:#fff;border-radius:8px;width:min(560px,95vw);max-height:90vh;display:flex;flex-direction:column}
.modal-header{display:flex;align-items:center;gap:8px;padding:14px 20px;border-bottom:1px solid #ddd}.modal-header h2{font-size:20px;margin:0;flex:1}.icon{border:0;background:none;font-size:22px;cursor:pointer}
.modal-body{padding:12px 20px;overflow:auto}.modal-footer{display:flex;justify-content:flex-end;gap:8px;padding:12px 20px;border-top:1px solid #ddd}
.input{display:flex;flex-direction:column;gap:4px;margin:10px 0}.input label,.input .label{font-weight:700}.optional{font-weight:400;color:#616061}
.input input,.input select,.input textarea{font:inherit;padding:6px;border:1px solid #bbb;border-radius:4px}.input textarea{min-height:70px}.has-error input,.has-error select,.has-error textarea{border-color:#e01e5a}
.field-error{color:#e01e5a;font-size:13px}.hint{font-size:12px;color:#616061}.choice{display:block;font-weight:400}
.problems{margin:8px 20px;border:1px solid #e01e5a;border-radius:6px;padding:8px 12px;background:#fdf1f4;font-size:13px}.problems h2{font-size:14px;margin:0 0 4px}
.empty{color:#616061;padding:20px}.home{padding:8px 20px}
dialog.confirm{border:0;border-radius:8px;padding:20px;max-width:420px}dialog.confirm::backdrop{background:rgba(0,0,0,.45)}
`;

const SCRIPT = `
(() => {
  const $ = (s, r = document) => r.querySelector(s);
  const people = JSON.parse($('#people').textContent);
  const commands = JSON.parse($('#commands').textContent);
  const params = new URLSearchParams(location.hash.slice(1));
  const state = { as: params.get('as') || localStorage.getItem('sandbox-as') || people[0].id, at: params.get('at') || 'C0SBXGENRL', modalKey: null };
  const actingAs = $('#acting-as');
  actingAs.value = state.as;
  const composer = $('#composer');
  const suggestions = $('#suggestions');
  let refreshing = null, again = false;

  async function post(path, body) {
    const res = await fetch(path, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ as: state.as, ...body }) });
    const answer = await res.json().catch(() => ({}));
    if (!res.ok) showNotice(answer.error || 'Something went wrong.');
    return answer;
  }
  function showNotice(text) { const n = $('#notice'); n.textContent = text; n.hidden = false; setTimeout(() => { n.hidden = true; }, 6000); }
  function remember() { localStorage.setItem('sandbox-as', state.as); history.replaceState(null, '', '#as=' + state.as + '&at=' + state.at); }

  async function refresh() {
    if (refreshing) { again = true; return refreshing; }
    refreshing = (async () => {
      const res = await fetch('/ui/screen?as=' + encodeURIComponent(state.as) + '&at=' + encodeURIComponent(state.at));
      const screen = await res.json();
      document.title = screen.title + ' · ' + document.body.dataset.workspace + ' (sandbox)';
      $('#sidebar').innerHTML = screen.sidebar;
      const scroller = $('#screen');
      const atBottom = scroller.scrollHeight - scroller.scrollTop - scroller.clientHeight < 40;
      const open = [...document.querySelectorAll('#screen .menu:not([hidden])')].map((m) => m.closest('[data-ts]')?.dataset.ts);
      $('#channel').innerHTML = screen.main;
      if (atBottom) scroller.scrollTop = scroller.scrollHeight;
      for (const ts of open) { const m = document.querySelector('[data-ts="' + ts + '"] .menu'); if (m) m.hidden = false; }
      $('#problems').innerHTML = screen.problems;
      composer.disabled = !screen.composer.enabled;
      composer.placeholder = screen.composer.placeholder;
      const key = screen.modal ? screen.modal.key : null;
      if (key !== state.modalKey) {
        state.modalKey = key;
        $('#modal-root').innerHTML = screen.modal ? screen.modal.html : '';
        const first = $('#modal-root [aria-invalid=true]') || $('#modal-root input, #modal-root textarea, #modal-root select');
        if (first) first.focus();
      }
    })();
    try { await refreshing; } finally { refreshing = null; if (again) { again = false; refresh(); } }
  }

  function enteredValues(form) {
    const values = {};
    if (!form) return values;
    for (const el of form.querySelectorAll('[name]')) {
      const [blockId, actionId] = el.name.split('/');
      values[blockId] = values[blockId] || {};
      if (el.type === 'checkbox') { const list = values[blockId][actionId] || []; if (el.checked) list.push(el.value); values[blockId][actionId] = list; }
      else if (el.type === 'radio') { if (el.checked) values[blockId][actionId] = el.value; else if (!(actionId in values[blockId])) values[blockId][actionId] = ''; }
      else if (el.tagName === 'SELECT') { const picked = [...el.selectedOptions].filter((o) => o.value !== '').map((o) => ({ value: o.value, text: o.textContent })); values[blockId][actionId] = el.multiple ? picked : picked.slice(0, 1); }
      else values[blockId][actionId] = el.value;
    }
    return values;
  }

  function containerOf(el) {
    const view = el.closest('[data-view-id]');
    if (view && view.dataset.viewId) return { kind: 'view', viewId: view.dataset.viewId };
    const message = el.closest('[data-ts]');
    if (message) return { kind: 'message', channel: message.dataset.channel, ts: message.dataset.ts, ephemeral: message.dataset.ephemeral === 'true' };
    return null;
  }

  function confirmFirst(el) {
    if (!el.dataset.confirm) return Promise.resolve(true);
    const c = JSON.parse(el.dataset.confirm);
    const dialog = document.createElement('dialog');
    dialog.className = 'confirm';
    dialog.setAttribute('aria-labelledby', 'confirm-title');
    const h = document.createElement('h2'); h.id = 'confirm-title'; h.textContent = c.title;
    const p = document.createElement('p'); p.textContent = c.text;
    const deny = document.createElement('button'); deny.type = 'button'; deny.className = 'btn'; deny.textContent = c.deny;
    const ok = document.createElement('button'); ok.type = 'button'; ok.className = 'btn ' + (c.style === 'danger' ? 'btn-danger' : 'btn-primary'); ok.textContent = c.confirm;
    const row = document.createElement('div'); row.className = 'modal-footer'; row.append(deny, ok);
    dialog.append(h, p, row); document.body.append(dialog); dialog.showModal();
    return new Promise((resolve) => {
      const done = (v) => { dialog.close(); dialog.remove(); resolve(v); };
      deny.onclick = () => done(false); ok.onclick = () => done(true); dialog.oncancel = () => done(false);
    });
  }

  async function act(el, value) {
    const container = containerOf(el);
    if (!container) return;
    if (!(await confirmFirst(el))) return;
    if (el.dataset.url) window.open(el.dataset.url, '_blank', 'noopener');
    const form = el.closest('form.modal');
    await post('/ui/action', { container, blockId: el.dataset.blockId, actionId: el.dataset.actionId, value, values: enteredValues(form) });
  }

  document.addEventListener('click', async (e) => {
    const el = e.target.closest('button, [data-nav]');
    if (!el) { for (const m of document.querySelectorAll('.menu:not([hidden])')) m.hidden = true; return; }
    if (el.dataset.nav) { state.at = el.dataset.nav; remember(); if (state.at === 'home') post('/ui/home', {}); refresh(); composer.focus(); return; }
    if (el.hasAttribute('data-menu')) { const menu = el.nextElementSibling; const open = menu.hidden; for (const m of document.querySelectorAll('.menu')) m.hidden = true; menu.hidden = !open; el.setAttribute('aria-expanded', String(open)); if (open) menu.querySelector('button')?.focus(); return; }
    const message = el.closest('[data-ts]');
    if (el.dataset.reaction && message) { el.closest('.menu').hidden = true; await post('/ui/reaction', { channel: message.dataset.channel, ts: message.dataset.ts, name: el.dataset.reaction }); return; }
    if (el.dataset.shortcut && message) { el.closest('.menu').hidden = true; await post('/ui/shortcut', { channel: message.dataset.channel, ts: message.dataset.ts, callbackId: el.dataset.shortcut }); return; }
    if (el.hasAttribute('data-dismiss') && message) { await post('/ui/dismiss', { channel: message.dataset.channel, ts: message.dataset.ts }); return; }
    if (el.hasAttribute('data-join')) { await post('/ui/join', { channel: state.at }); return; }
    if (el.hasAttribute('data-leave')) { await post('/ui/leave', { channel: state.at }); return; }
    if (el.hasAttribute('data-close')) { const form = el.closest('form.modal'); await post('/ui/close', { viewId: form.dataset.viewId }); return; }
    if (el.dataset.actionId) { if (el.closest('details')) el.closest('details').open = false; await act(el, el.dataset.value); }
  });

  document.addEventListener('change', async (e) => {
    const el = e.target;
    if (el === actingAs) { state.as = el.value; state.modalKey = null; remember(); if (state.at === 'home') post('/ui/home', {}); refresh(); return; }
    if (!el.dataset || !el.dataset.actionId) return;
    // Inputs inside an input block are sent with the submission, not on change (as on Slack).
    if (el.closest('.block.input')) return;
    const value = el.tagName === 'SELECT' ? [...el.selectedOptions].filter((o) => o.value !== '').map((o) => ({ value: o.value, text: o.textContent })) : el.value;
    await act(el, el.multiple ? value : (Array.isArray(value) ? value[0] : value));
  });

  document.addEventListener('focusin', async (e) => {
    const el = e.target;
    if (el.tagName !== 'SELECT' || el.dataset.external !== 'true' || el.dataset.loaded) return;
    el.dataset.loaded = 'true';
    const view = el.closest('[data-view-id]');
    const answer = await post('/ui/options', { viewId: view && view.dataset.viewId, blockId: el.dataset.blockId, actionId: el.dataset.actionId, value: '' });
    for (const o of answer.options || []) { const opt = document.createElement('option'); opt.value = o.value; opt.textContent = o.text; el.append(opt); }
  });

  document.addEventListener('submit', async (e) => {
    const form = e.target.closest('form.modal');
    if (!form) return;
    e.preventDefault();
    await post('/ui/submit', { viewId: form.dataset.viewId, values: enteredValues(form) });
  });

  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') { const form = $('#modal-root form.modal'); if (form && !document.querySelector('dialog[open]')) post('/ui/close', { viewId: form.dataset.viewId }); }
  });

  // ----- composer: Enter sends; "/" offers the app's commands -----
  let picked = -1;
  function matches() { const word = composer.value.split(' ')[0]; return composer.value.startsWith('/') && !composer.value.includes(' ') ? commands.filter((c) => c.command.startsWith(word)) : []; }
  function showSuggestions() {
    const list = matches();
    suggestions.hidden = list.length === 0;
    picked = Math.min(picked, list.length - 1);
    suggestions.replaceChildren(...list.map((c, i) => {
      const li = document.createElement('li'); li.setAttribute('role', 'option'); li.id = 'suggestion-' + i; li.dataset.command = c.command;
      li.setAttribute('aria-selected', String(i === picked)); li.textContent = c.command + (c.usage ? ' ' + c.usage : '');
      const small = document.createElement('small'); small.textContent = c.description; li.append(small); return li;
    }));
    if (picked >= 0) composer.setAttribute('aria-activedescendant', 'suggestion-' + picked); else composer.removeAttribute('aria-activedescendant');
  }
  function choose(command) { composer.value = command + ' '; picked = -1; showSuggestions(); composer.focus(); }
  suggestions.addEventListener('mousedown', (e) => { const li = e.target.closest('li'); if (li) { e.preventDefault(); choose(li.dataset.command); } });
  composer.addEventListener('input', () => { picked = -1; showSuggestions(); });
  composer.addEventListener('keydown', async (e) => {
    const list = matches();
    if (list.length > 0 && (e.key === 'ArrowDown' || e.key === 'ArrowUp')) { e.preventDefault(); picked = (picked + (e.key === 'ArrowDown' ? 1 : list.length - 1)) % list.length; showSuggestions(); return; }
    if (list.length > 0 && e.key === 'Tab') { e.preventDefault(); choose(list[Math.max(picked, 0)].command); return; }
    if (e.key !== 'Enter' || e.shiftKey) return;
    e.preventDefault();
    if (list.length > 0 && picked >= 0) { choose(list[picked].command); return; }
    const text = composer.value.trim();
    if (!text) return;
    composer.value = ''; showSuggestions();
    if (text.startsWith('/')) { const [command, ...rest] = text.split(' '); await post('/ui/command', { channel: state.at, command, text: rest.join(' ') }); }
    else await post('/ui/message', { channel: state.at, text });
  });

  window.addEventListener('hashchange', () => {
    const next = new URLSearchParams(location.hash.slice(1));
    state.as = next.get('as') || state.as; state.at = next.get('at') || state.at; actingAs.value = state.as; state.modalKey = null; refresh();
  });
  const events = new EventSource('/ui/events');
  events.onmessage = () => refresh();
  events.onerror = () => setTimeout(refresh, 1000);
  remember();
  refresh();
})();
`;

export function shellHtml(options: ShellOptions): string {
  const people = options.people
    .map((p) => `<option value="${escapeHtml(p.id)}">${escapeHtml(p.name)} · ${escapeHtml(p.title)}</option>`)
    .join('');
  // JSON inside <script type="application/json">: "<" is escaped so no text can close the tag.
  const json = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width,initial-scale=1">
<title>${escapeHtml(options.workspaceName)} (sandbox)</title><style>${STYLES}</style></head>
<body data-workspace="${escapeHtml(options.workspaceName)}">
<div class="app">
  <header class="topbar"><h1>${escapeHtml(options.workspaceName)} · Dispatch sandbox</h1>
    <label>Acting as <select id="acting-as">${people}</select></label></header>
  <aside class="sidebar" id="sidebar" aria-label="Sidebar"></aside>
  <main class="main" aria-label="Conversation">
    <div id="problems"></div>
    <div id="notice" role="status" hidden class="problems"></div>
    <div id="screen"><div id="channel"></div></div>
    <div class="composer">
      <ul id="suggestions" class="suggestions" role="listbox" aria-label="Slash commands" hidden></ul>
      <textarea id="composer" rows="1" aria-label="Message" aria-autocomplete="list" aria-controls="suggestions"></textarea>
    </div>
  </main>
</div>
<div id="modal-root"></div>
<script type="application/json" id="people">${json(options.people)}</script>
<script type="application/json" id="commands">${json(options.commands)}</script>
<script>${SCRIPT}</script>
</body></html>`;
}
