// tunesmith studio: the page. Everything goes through the HTTP API (/api/openapi.json).
"use strict";

const TOKEN = document.querySelector('meta[name="tunesmith-token"]').content;
if (location.search.includes("token=")) history.replaceState(null, "", location.pathname + location.hash); // keep it out of the address bar

const $ = (id) => document.getElementById(id);
const state = { info: null, piece: null, take: null, alts: null, sel: null, raf: 0 };
const SVGNS = "http://www.w3.org/2000/svg";

// ------------------------------------------------------------------ API
async function api(method, path, body) {
  const opts = { method, headers: { Authorization: "token " + TOKEN } };
  if (body instanceof FormData) opts.body = body;
  else if (body !== undefined) { opts.body = JSON.stringify(body); opts.headers["Content-Type"] = "application/json"; }
  const r = await fetch(path, opts);
  const text = await r.text();
  let data = null;
  try { data = text ? JSON.parse(text) : null; } catch (e) { data = text; }
  if (!r.ok) {
    const err = new Error((data && data.error) || r.status + " " + r.statusText);
    err.status = r.status;
    throw err;
  }
  return data;
}

function status(text, error) {
  const s = $("status");
  s.textContent = text || "";
  s.className = error ? "error" : "";
  s.setAttribute("role", error ? "alert" : "status");
}

async function busy(label, fn) {
  if (document.body.dataset.busy) return; // a keyboard shortcut pressed again while one runs
  document.querySelectorAll("button").forEach((b) => (b.disabled = true));
  status(label + "…");
  document.body.dataset.busy = "1";
  try {
    const out = await fn();
    if ($("status").textContent === label + "…") status(""); // keep what fn said
    return out;
  } catch (e) {
    // a 409: the piece changed in another tab or window (a set kept there, an undo): show it as it is now
    if (e.status === 409 && state.piece) {
      try {
        await showPiece(await api("GET", `/api/pieces/${state.piece.id}`));
        await refreshList(state.piece.id);
      } catch (_) { /* the message below says what went wrong */ }
      status(e.message + " · showing the piece as it is now", true);
    } else status(e.message, true);
  } finally {
    document.querySelectorAll("button").forEach((b) => (b.disabled = false));
    delete document.body.dataset.busy;
    updateButtons();
  }
}

// ------------------------------------------------------------------ setup
function option(select, value, label) {
  const o = document.createElement("option");
  o.value = value;
  o.textContent = label ?? value;
  select.appendChild(o);
}

function buildControls(info) {
  for (const s of info.styles) { option($("style"), s); option($("upload-style"), s); option($("harm-style"), s); }
  for (const m of info.modes) option($("mode"), m);
  for (const m of info.meters) option($("meter"), m);
  const box = $("sliders");
  for (const s of info.sliders) {
    const [left, right] = s.label.split("\u2194").map((x) => x.trim());
    // an untouched slider stands at the style's own value (decoding.json: folk's top_p 1.0), not at
    // one fallback for every style (it had started at 0.95, so a first drag began off the model's)
    const own = () => (info.decoding_defaults?.[$("style").value] || {})[s.control];
    const startOf = () => s.default ?? own() ?? s.fallback;
    const start = startOf();
    const div = document.createElement("div");
    div.className = "slider";
    div.innerHTML = `<div class="ends"><span>${left}</span><span class="value"></span><span>${right}</span></div>
      <input type="range" min="${s.min}" max="${s.max}" step="${s.step}" value="${start}" aria-label="${s.label}" title="${s.control}: ${s.help}">`;
    const input = div.querySelector("input");
    input.dataset.control = s.control;
    input.dataset.touched = s.default === null ? "" : "1";
    const show = () => (div.querySelector(".value").textContent = input.dataset.touched ? `${s.control} ${input.value}` : `${s.control}: model's`);
    input.addEventListener("input", () => { input.dataset.touched = "1"; show(); });
    // once moved a slider had no way back to the model's own value: a double-click returns to it
    const reset = () => { input.value = startOf(); input.dataset.touched = s.default === null ? "" : "1"; show(); };
    input.addEventListener("dblclick", reset);
    div.querySelector(".value").addEventListener("dblclick", reset);
    $("style").addEventListener("change", () => { if (!input.dataset.touched) input.value = startOf(); });
    input.title += " (double-click: back to the model's)";
    show();
    box.appendChild(div);
  }
}

function sliderValues(action) {
  const out = {};
  for (const input of document.querySelectorAll("#sliders input")) {
    const s = state.info.sliders.find((x) => x.control === input.dataset.control);
    if (!s.applies_to.includes(action) || !input.dataset.touched) continue;
    out[s.control] = parseFloat(input.value);
  }
  return out;
}

function composeControls() {
  const f = $("compose-form");
  const v = (name) => f.elements[name].value.trim();
  const out = { style: v("style"), in_scale: f.elements.in_scale.checked };
  if (f.elements.chord_rhythm.checked) out.chord_rhythm = "bar"; // the harmonizer's chord for each bar
  // empty: the style's length, which a dance doubles (two 8-bar strains, each played twice)
  if (parseInt(v("bars"), 10) > 0) out.bars = parseInt(v("bars"), 10);
  for (const k of ["key", "mode", "meter", "chords", "pitch_range", "cadence", "dance", "shortest", "texture", "voice_ranges"]) if (v(k)) out[k] = v(k);
  if (v("form")) out.form = v("form");
  if (v("pickup")) out.pickup = parseFloat(v("pickup"));
  if (v("tempo")) out.tempo = parseFloat(v("tempo"));
  if (v("seed")) out.seed = parseInt(v("seed"), 10);
  return Object.assign(out, sliderValues("compose"));
}

// ------------------------------------------------------------------ score
async function loadScore(container, take) {
  container.innerHTML = '<p class="muted">engraving…</p>';
  const r = await fetch(take.links.score, { headers: { Authorization: "token " + TOKEN } });
  if (!r.ok) { container.innerHTML = '<p class="muted">no score</p>'; return; }
  container.innerHTML = await r.text();
  container.dataset.take = take.id;
  const measures = [...container.querySelectorAll("g.measure")];
  measures.forEach((m, i) => {
    const bar = take.bars[i];
    if (!bar) return;
    m.dataset.bar = bar.number;
    let box, top, bottom, one;
    try {
      box = m.getBBox();
      // the same height for every bar of a system: from the staves, not from the notes' ledger
      // lines; each staff's five lines give its top and bottom
      const staves = [...m.querySelectorAll("g.staff")].map((st) => {
        const lines = [...st.querySelectorAll(":scope > path")].map((p) => p.getBBox());
        return lines.length ? [Math.min(...lines.map((b) => b.y)), Math.max(...lines.map((b) => b.y + b.height))] : null;
      }).filter(Boolean);
      top = staves.length ? Math.min(...staves.map((s) => s[0])) : box.y;
      bottom = staves.length ? Math.max(...staves.map((s) => s[1])) : box.y + box.height;
      one = staves.length ? Math.min(...staves.map((s) => s[1] - s[0])) : bottom - top; // one staff's height
    } catch (e) { return; }
    // room above the top staff and below the bottom one of one staff's height (not the system's:
    // a four-staff chorale's box then reached into the systems above and below)
    one = Math.max(one, 1);
    const geometry = { x: box.x, y: top - 0.9 * one, width: box.width, height: bottom - top + 1.3 * one };
    const rect = document.createElementNS(SVGNS, "rect");
    for (const [k, val] of Object.entries(geometry)) rect.setAttribute(k, val);
    rect.setAttribute("class", "bar-hl");
    rect.dataset.bar = bar.number;
    m.parentNode.insertBefore(rect, m);
  });
  container.dataset.bars = measures.length;
}

function highlight(container, cls, isOn) {
  container.querySelectorAll("rect.bar-hl").forEach((r) => r.classList.toggle(cls, isOn(parseInt(r.dataset.bar, 10))));
}

function showSelection(fillInputs = true) {
  const s = state.sel;
  highlight($("score"), "selected", (b) => s && b >= s[0] && b <= s[1]);
  if (fillInputs) { // not while the musician types in them ("3" then "4" had become 3-34)
    $("bar-from").value = s ? s[0] : "";
    $("bar-to").value = s ? s[1] : "";
  }
  $("score").dataset.selection = s ? `${s[0]}-${s[1]}` : "";
}

function selectBar(bar, extend) {
  if (extend && state.sel) state.sel = [Math.min(state.sel[0], bar), Math.max(state.sel[1], bar)];
  else state.sel = [bar, bar];
  showSelection();
}

// ------------------------------------------------------------------ playback with a moving bar highlight
function play(audio, take, container) {
  stopAll();
  audio.src = take.links.audio;
  audio.loop = Boolean(take.loop); // a loop (--cadence loop) plays round and round, as in the game it is for
  const tick = () => {
    const t = audio.currentTime;
    const bar = take.bars.find((b) => t >= b.start_s && t < b.end_s);
    const n = bar ? bar.number : -1;
    highlight(container, "playing", (b) => b === n);
    container.dataset.playingBar = n;
    if (audio === $("player")) $("clock").textContent = fmt(t);
    if (!audio.paused && !audio.ended) state.raf = requestAnimationFrame(tick);
    else { highlight(container, "playing", () => false); container.dataset.playingBar = ""; }
  };
  audio.onplaying = () => { cancelAnimationFrame(state.raf); state.raf = requestAnimationFrame(tick); };
  audio.onended = audio.onpause = () => { highlight(container, "playing", () => false); };
  audio.onerror = () => status("the audio could not be played", true);
  // a play() cut short by a pause (Play pressed again, Stop) is no error to show
  return audio.play().catch((e) => { if (e.name !== "AbortError") status("playback: " + e.message, true); });
}

function stopAll() {
  cancelAnimationFrame(state.raf);
  document.querySelectorAll("audio").forEach((a) => { if (!a.paused) a.pause(); });
}

const counted = (n, word) => `${n} ${word}${n === 1 ? "" : "s"}`; // "1 bar", "1 note", not "1 bars"
// in MiB, as the limits are set and the server says them (`app.mib`: 4 MiB, not "4.2 MB"), rounded up
// to a tenth so that a file over the limit is never said to be the limit's size
const mb = (n) => { const t = Math.ceil((n * 10) / 1048576); return `${t % 10 ? (t / 10).toFixed(1) : t / 10} MiB`; };
const fmt = (t) => `${Math.floor(t / 60)}:${String(Math.floor(t % 60)).padStart(2, "0")}`;

// ------------------------------------------------------------------ pieces
async function refreshList(selectId) {
  const list = await api("GET", "/api/pieces");
  const sel = $("piece-list");
  sel.innerHTML = "";
  if (!list.length) option(sel, "", "(no pieces yet)");
  // two pieces of one title told apart by when they were begun (and a short id)
  const when = (t) => { const d = new Date(t); return Number.isNaN(d.getTime()) ? "" : d.toLocaleTimeString([], { hour: "2-digit", minute: "2-digit", second: "2-digit" }); };
  for (const p of list) option(sel, p.id, `${p.title} · ${when(p.created)} · ${p.id.slice(-4)} · ${p.history} step${p.history === 1 ? "" : "s"}`);
  if (selectId) sel.value = selectId;
  return list;
}

async function showPiece(piece) {
  state.piece = piece;
  $("empty").hidden = true;
  $("piece").hidden = false;
  $("piece-list").value = piece.id;
  if (location.hash !== "#" + piece.id) history.replaceState(null, "", location.pathname + "#" + piece.id); // a reload reopens it
  $("piece-title").textContent = piece.title;
  document.body.dataset.piece = piece.id;
  const take = piece.current;
  const changed = !state.take || state.take.id !== take.id;
  state.take = take;
  document.body.dataset.take = take.id;
  const s = take.summary;
  // bars as the musician counts them: 8 bars and a pickup, not "9 bars"
  const bars = s.pickup_beats > 0 ? `${counted(s.n_bars - 1, "bar")} and a pickup` : counted(s.n_bars, "bar");
  $("take-info").textContent = `${s.style || "no style (written as folk unless you choose)"} · ${s.key || "?"} · ${s.meter} · ${bars} · ${counted(s.n_notes, "note")} · take ${take.id}`;
  for (const k of ["mid", "musicxml", "wav", "json"]) $("export-" + k).href = take.links["export_" + k];
  buildLocks(take);
  renderHistory(piece);
  renderStars($("stars"), take);
  updateButtons();
  if (changed) {
    stopAll();
    $("player").removeAttribute("src");
    await loadScore($("score"), take);
    if (state.sel && !take.bars.some((b) => b.number === state.sel[1])) state.sel = null;
    showSelection();
  }
  const open = piece.open_alternatives;
  renderAlternatives(open.length ? open[open.length - 1] : null);
  loadGuard(take);
  $("take-remarks").textContent = (take.remarks || []).join(" · ");
}

function buildLocks(take) {
  const box = $("locks");
  const roles = new Set(take.tracks.map((t) => t.role));
  const parts = roles.has("soprano") ? ["soprano", "alto", "tenor", "bass"] : ["melody", "chords"];
  const was = new Set([...box.querySelectorAll("input:checked")].map((i) => i.value));
  box.innerHTML = "Lock:";
  for (const p of parts) {
    const l = document.createElement("label");
    l.innerHTML = `<input type="checkbox" value="${p}"> ${p}`;
    if (was.has(p)) l.querySelector("input").checked = true;
    box.appendChild(l);
  }
}

function renderHistory(piece) {
  const ol = $("history");
  ol.innerHTML = "";
  for (const h of piece.history) {
    const li = document.createElement("li");
    li.textContent = h.action;
    li.title = `${h.take} · ${h.created}`;
    if (h.current) li.className = "current";
    else if (h.seq > piece.cursor) li.className = "undone";
    ol.appendChild(li);
  }
  // the piece it was forked from by its title as the piece list shows it (it had read "p-a8b717839f3f83ed")
  const source = piece.forked_from && [...$("piece-list").options].find((o) => o.value === piece.forked_from);
  const from = source ? `“${source.textContent.split(" · ")[0]}” (${piece.forked_from.slice(-4)})` : piece.forked_from;
  $("history-note").textContent = `${piece.takes} take${piece.takes === 1 ? "" : "s"} stored for this piece` +
    (piece.forked_from ? ` · forked from ${from}` : "");
}

function updateButtons() {
  const p = state.piece;
  if (!p || document.body.dataset.busy) return;
  $("undo").disabled = !p.can_undo;
  $("redo").disabled = !p.can_redo;
  $("regen").disabled = !state.sel;
}

function renderStars(box, take) {
  box.innerHTML = "";
  const mine = take.judgements && take.judgements.stars ? take.judgements.stars.studio || 0 : 0;
  box.dataset.stars = mine;
  for (let i = 1; i <= 5; i++) {
    const b = document.createElement("button");
    b.textContent = "\u2605";
    b.title = `${i} star${i > 1 ? "s" : ""}`;
    b.setAttribute("aria-label", b.title);
    b.dataset.stars = i;
    if (i <= mine) b.classList.add("on");
    b.addEventListener("click", () => busy("Rating", async () => {
      await api("POST", `/api/takes/${take.id}/rating`, { stars: i, rater: "studio" });
      take.judgements = (await api("GET", `/api/takes/${take.id}`)).judgements;
      renderStars(box, take);
      status(`rated ${i} star${i > 1 ? "s" : ""}: saved in the ratings store`);
    }));
    box.appendChild(b);
  }
}

async function loadGuard(take, g = $("guard")) {
  g.className = "guard";
  g.textContent = "copy guard: checking…";
  try {
    const r = await api("GET", `/api/takes/${take.id}/copy-guard`);
    if (g === $("guard") && state.take.id !== take.id) return;
    if (!r.available) { g.textContent = "copy guard: not available"; g.title = r.reason || ""; return; }
    const near = (r.nearest || [])[0];
    if (r.musicians_notes && !r.generated_notes) {
      // the guard never counts a musician's own notes: nothing here was checked
      g.className = "guard own";
      g.textContent = "copy guard: your own music, not checked (a musician's notes never count; `tunesmith check FILE` compares a file with the corpus)";
      g.title = "";
      return;
    }
    g.className = "guard " + r.verdict;
    g.textContent = `copy guard: ${r.verdict}` + (r.musicians_notes ? ` (your ${counted(r.musicians_notes, "note")} not counted)` : "")
      + (near ? ` · nearest: ${near.title || near.work_id} (${near.license}, bars ${near.bars ? near.bars.join("-") : "?"})` : "");
    g.title = (r.nearest || []).map((m) => `${m.title} [${m.source}, ${m.license}] score ${m.score}`).join("\n");
  } catch (e) {
    g.textContent = "copy guard: " + e.message;
  }
}

// ------------------------------------------------------------------ alternatives
function renderAlternatives(alts) {
  state.alts = alts;
  const sec = $("alternatives");
  const grid = $("alt-grid");
  grid.innerHTML = "";
  $("ab-a").innerHTML = "";
  $("ab-b").innerHTML = "";
  if (!alts) {
    // another set still open (a discarded one leaves the others): show the latest of them
    const rest = state.piece ? state.piece.open_alternatives : [];
    if (rest.length) { renderAlternatives(rest[rest.length - 1]); return; }
    sec.hidden = true;
    return;
  }
  sec.hidden = false;
  // a set made from an earlier take (before a later keep or an undo) replaces the current take when kept: say so
  const from = state.piece ? state.piece.history.find((h) => h.take === alts.base) : null;
  const stale = state.take && alts.base !== state.take.id;
  $("alt-title").textContent = `Alternatives: ${alts.action} (${alts.takes.length})` + (stale
    ? ` · made from ${from ? `step ${from.seq} (${from.action})` : "an earlier take"}, not the take shown above: keeping one replaces it`
    : "");
  $("alt-title").classList.toggle("stale", Boolean(stale));
  // every open set stays reachable (an inpainting's set, then a harmonization's)
  const sets = state.piece ? state.piece.open_alternatives : [];
  $("alt-sets-label").hidden = sets.length < 2;
  $("alt-sets").innerHTML = "";
  sets.forEach((a, i) => option($("alt-sets"), a.id, `${i + 1}. ${a.action} (${a.takes.length})`));
  $("alt-sets").value = alts.id;
  alts.takes.forEach((t, i) => {
    const letter = String.fromCharCode(65 + i);
    option($("ab-a"), t.id, letter);
    option($("ab-b"), t.id, letter);
    const card = document.createElement("div");
    card.className = "alt";
    card.dataset.take = t.id;
    card.innerHTML = `<header><strong>${letter}</strong><span class="muted">${counted(t.summary.n_notes, "note")} · ${counted(t.summary.n_chords, "chord")} · seed ${t.seed}${t.take_number ? `, take ${t.take_number} of ${alts.takes.length}` : ""}</span></header>
      <p class="remarks muted"></p>
      <div class="score-view"></div>
      <div class="bar"><button class="alt-play">&#9654; Play ${letter}</button><button class="alt-keep">Keep ${letter}</button><span class="stars"></span></div>
      <audio preload="none" controls></audio>
      <span class="guard">copy guard: …</span>`;
    card.querySelector(".remarks").textContent = (t.remarks || []).join(" · ");  // text, never HTML
    const score = card.querySelector(".score-view");
    const audio = card.querySelector("audio");
    card.querySelector(".alt-play").addEventListener("click", () => play(audio, t, score));
    card.querySelector(".alt-keep").addEventListener("click", () => busy("Keeping " + letter, async () => {
      stopAll();
      const piece = await api("POST", `/api/alternatives/${alts.id}/keep`, { take: t.id });
      await showPiece(piece);
      await refreshList(piece.id);
      status(`kept ${letter}`);
    }));
    renderStars(card.querySelector(".stars"), t);
    loadGuard(t, card.querySelector(".guard")); // every alternative is checked before it is kept
    grid.appendChild(card);
    loadScore(score, t).then(() => {
      const req = alts.request || {};
      if (req.bars && typeof req.bars === "string") {
        const [a, b] = req.bars.split("-").map((x) => parseInt(x, 10));
        highlight(score, "selected", (n) => n >= a && n <= (b || a));
      }
    });
  });
  if (alts.takes.length > 1) $("ab-b").selectedIndex = 1;
  $("ab").hidden = alts.takes.length < 2; // a preference needs two alternatives
}

async function regenerate(action) {
  const p = state.piece;
  const asked = parseInt($("alt-n").value, 10) || 3;
  const n = Math.max(1, Math.min(8, asked));
  if (n !== asked) { $("alt-n").value = String(n); } // the field shows what is made (1..8), not 100
  let body;
  if (action === "inpaint") {
    const a = parseInt($("bar-from").value, 10), b = parseInt($("bar-to").value, 10);
    if (Number.isNaN(a)) { status("select bars first (click a bar, shift-click another)", true); return; }
    const keep = [...$("locks").querySelectorAll("input:checked")].map((i) => i.value);
    body = { bars: `${a}-${Number.isNaN(b) ? a : b}`, keep, n };
  } else if (action === "continue") {
    const bars = Number($("continue-bars").value);
    if (!Number.isInteger(bars) || bars < 1 || bars > 64) { status("continue by 1 to 64 bars", true); return; }
    body = { bars, n };
    if ($("continue-chords").value.trim()) body.chords = $("continue-chords").value.trim();
    // a form decides the new bars itself (the piece is its first A)
    if ($("continue-form").value.trim()) { body.form = $("continue-form").value.trim(); delete body.bars; }
  } else {
    body = { n };
    // a chorale's texture and its singers' ranges (refused in one line for a lead sheet's style)
    if ($("harm-texture").value) body.texture = $("harm-texture").value;
    if ($("harm-voices").value.trim()) body.voice_ranges = $("harm-voices").value.trim();
  }
  // the style the new music is written in: chosen, else the piece's own (a file without one: folk)
  if ($("harm-style").value) body.style = $("harm-style").value;
  Object.assign(body, sliderValues(action));
  const label = { inpaint: `Regenerating bars ${body.bars}`, continue: "Continuing", harmonize: "Harmonizing" }[action];
  await busy(label, async () => {
    const alts = await api("POST", `/api/pieces/${p.id}/${action}`, body);
    state.piece.open_alternatives.push(alts);
    renderAlternatives(alts);
    status(alts.takes.length > 1 ? `${alts.takes.length} alternatives: play them, then keep one`
                                 : "1 alternative: play it, then keep it or discard it");
  });
}

// ------------------------------------------------------------------ wiring
async function openPiece(id) {
  if (!id) return;
  await busy("Opening", async () => showPiece(await api("GET", `/api/pieces/${id}`)));
}

function wire() {
  $("compose-form").addEventListener("submit", (e) => {
    e.preventDefault();
    busy("Composing", async () => {
      const piece = await api("POST", "/api/pieces", composeControls());
      state.sel = null;
      await refreshList(piece.id);
      await showPiece(piece);
    });
  });
  $("upload-form").addEventListener("submit", (e) => {
    e.preventDefault();
    const file = $("upload-file").files[0];
    if (!file) { status("choose a MIDI, MusicXML or ABC file first", true); return; }
    const limit = state.info.limits.upload_bytes;
    if (file.size > limit) { status(`${file.name} is ${mb(file.size)}: the studio reads files up to ${mb(limit)}`, true); return; }
    const fd = new FormData();
    fd.append("file", file, file.name);
    if ($("upload-style").value) fd.append("style", $("upload-style").value);
    busy("Reading " + file.name, async () => {
      const piece = await api("POST", "/api/pieces/upload", fd);
      state.sel = null;
      await refreshList(piece.id);
      await showPiece(piece);
    });
  });
  $("piece-list").addEventListener("change", (e) => { state.sel = null; openPiece(e.target.value); });
  $("dance").addEventListener("change", barsPlaceholder);
  $("style").addEventListener("change", barsPlaceholder);
  const step = (dir) => busy(dir === "undo" ? "Undoing" : "Redoing", async () => {
    await showPiece(await api("POST", `/api/pieces/${state.piece.id}/${dir}`));
    await refreshList(state.piece.id);
  });
  $("undo").addEventListener("click", () => step("undo"));
  $("redo").addEventListener("click", () => step("redo"));
  // an error shown for a value the musician has since changed is stale: clear it on any edit
  document.addEventListener("input", () => { if ($("status").className === "error") status(""); });
  document.addEventListener("keydown", (e) => {
    if (!(e.ctrlKey || e.metaKey) || !state.piece || e.target.tagName === "INPUT") return;
    if (e.key === "z" && state.piece.can_undo) { e.preventDefault(); step("undo"); }
    if (e.key === "y" && state.piece.can_redo) { e.preventDefault(); step("redo"); }
  });
  $("fork").addEventListener("click", () => busy("Forking", async () => {
    const piece = await api("POST", `/api/pieces/${state.piece.id}/fork`, {});
    await refreshList(piece.id);
    await showPiece(piece);
  }));
  $("play").addEventListener("click", () => play($("player"), state.take, $("score")));
  $("stop").addEventListener("click", () => { stopAll(); $("player").currentTime = 0; $("clock").textContent = fmt(0); });
  $("score").addEventListener("click", (e) => {
    const target = e.target.closest("[data-bar]");
    if (target) selectBar(parseInt(target.dataset.bar, 10), e.shiftKey);
    updateButtons();
  });
  for (const id of ["bar-from", "bar-to"]) {
    $(id).addEventListener("change", () => {
      const a = parseInt($("bar-from").value, 10), b = parseInt($("bar-to").value, 10);
      state.sel = Number.isNaN(a) ? null : [a, Number.isNaN(b) ? a : Math.max(a, b)];
      showSelection(false);
      updateButtons();
    });
    $(id).addEventListener("focus", (e) => e.target.select()); // typing replaces what a click filled in
  }
  $("regen").addEventListener("click", () => regenerate("inpaint"));
  $("continue").addEventListener("click", () => regenerate("continue"));
  $("harmonize").addEventListener("click", () => regenerate("harmonize"));
  const prefer = (first) => busy("Saving preference", async () => {
    const a = $("ab-a").value, b = $("ab-b").value;
    if (a === b) throw new Error("choose two different alternatives for A and B");
    const [win, lose] = first ? [a, b] : [b, a];
    await api("POST", "/api/preferences", { preferred: win, other: lose, rater: "studio" });
    const name = (id) => String.fromCharCode(65 + state.alts.takes.findIndex((t) => t.id === id));
    status(`${name(win)} preferred over ${name(lose)}: saved in the ratings store`);
  });
  $("ab-a-better").addEventListener("click", () => prefer(true));
  $("ab-b-better").addEventListener("click", () => prefer(false));
  $("alt-sets").addEventListener("change", (e) => {
    const picked = state.piece.open_alternatives.find((a) => a.id === e.target.value);
    if (picked) { stopAll(); renderAlternatives(picked); }
  });
  $("discard").addEventListener("click", () => busy("Discarding", async () => {
    await api("POST", `/api/alternatives/${state.alts.id}/discard`);
    state.piece.open_alternatives = state.piece.open_alternatives.filter((a) => a.id !== state.alts.id);
    renderAlternatives(null);
  }));
}

// an empty Bars box is the style's length: 32 bars for a dance or a folk tune (AABB of 8), else 16
function barsPlaceholder() {
  $("bars").placeholder = $("dance").value || $("style").value === "folk" ? "32" : "16";
}

async function main() {
  wire();
  try {
    state.info = await api("GET", "/api/info");
    buildControls(state.info);
    barsPlaceholder();
    const list = await refreshList();
    const named = list.find((p) => "#" + p.id === location.hash);
    if (list.length) await showPiece(await api("GET", `/api/pieces/${(named || list[0]).id}`));
    document.body.dataset.ready = "1";
  } catch (e) {
    status(e.message, true);
  }
}

main();
