// The web-of-trust page: the pseudonymous trust graph from GraphQL, drawn with Cytoscape.js
// (force-directed), members coloured by status, voided assurances dimmed, a search box, and live
// updates from the ledgerEvents subscription when logged in.
import cytoscape from 'cytoscape';
import { createClient } from 'graphql-ws';

const COLOURS = { MEMBER: '#9ca3af', ASSURED_MEMBER: '#60a5fa', ASSURER: '#10b981', SENIOR_ASSURER: '#f59e0b' };
const QUERY = `query($after: String) { trustGraph(first: 100, after: $after, includeVoided: true) {
  nodes { id pseudonymous status } edges { id from to points kind voided } totalEdges
  pageInfo { hasNextPage endCursor } } }`;
const status = document.getElementById('status');

async function graphql(query, variables) {
  const cookie = document.cookie.split('; ').find(c => c.startsWith('XSRF-TOKEN='));
  const headers = { 'Content-Type': 'application/json' };
  if (cookie) headers['X-XSRF-TOKEN'] = decodeURIComponent(cookie.substring('XSRF-TOKEN='.length));
  const response = await fetch('/graphql', { method: 'POST', headers, credentials: 'same-origin',
    body: JSON.stringify({ query, variables }) });
  const body = await response.json();
  if (body.errors) throw new Error(body.errors.map(e => e.message).join('; '));
  return body.data;
}

async function load() {
  const nodes = new Map();
  const edges = [];
  let after = null;
  for (let page = 0; page < 200; page++) { // at most 20,000 edges on the page; exports take the rest
    const g = (await graphql(QUERY, { after })).trustGraph;
    g.nodes.forEach(n => nodes.set(n.id, n));
    edges.push(...g.edges);
    if (!g.pageInfo.hasNextPage) break;
    after = g.pageInfo.endCursor;
  }
  return { nodes: [...nodes.values()], edges };
}

const cy = cytoscape({
  container: document.getElementById('graph'),
  style: [
    { selector: 'node', style: { 'background-color': n => COLOURS[n.data('status')] || '#d1d5db', width: 14, height: 14,
      'border-width': 1, 'border-color': '#374151' } },
    { selector: 'node.self', style: { width: 22, height: 22, 'border-width': 3 } },
    { selector: 'node.found', style: { 'border-color': '#dc2626', 'border-width': 4, width: 26, height: 26 } },
    { selector: 'edge', style: { width: e => 0.5 + (e.data('points') ?? 12) / 12, 'line-color': '#6b7280',
      'target-arrow-shape': 'triangle', 'target-arrow-color': '#6b7280', 'curve-style': 'bezier', opacity: 0.9 } },
    { selector: 'edge.voided', style: { opacity: 0.2, 'line-style': 'dashed' } },
  ],
});

async function render() {
  const { nodes, edges } = await load();
  const elements = [
    ...nodes.map(n => ({ group: 'nodes', data: { id: n.id, status: n.status }, classes: n.pseudonymous ? '' : 'self' })),
    ...edges.map(e => ({ group: 'edges', data: { id: e.id, source: e.from, target: e.to, points: e.points,
      kind: e.kind }, classes: e.voided ? 'voided' : '' })),
  ];
  cy.batch(() => { cy.elements().remove(); cy.add(elements); });
  cy.layout({ name: 'cose', animate: false, randomize: true, nodeRepulsion: () => 8000 }).run();
  // What the page drew, for the browser test: counts, each member's status and colour, the voided edges' style.
  window.graphState = { nodes: nodes.length, edges: edges.length, voided: edges.filter(e => e.voided).length,
    renders: (window.graphState?.renders || 0) + 1, firstId: nodes[0]?.id,
    colours: cy.nodes().map(n => ({ status: n.data('status'), colour: n.style('background-color') })),
    voidedStyle: cy.edges('.voided').map(e => ({ opacity: e.style('opacity'), line: e.style('line-style') })) };
  status.textContent = `${nodes.length} members, ${edges.length} assurances` +
    (window.graphState.voided ? ` (${window.graphState.voided} voided)` : '');
}

document.getElementById('search').addEventListener('input', event => {
  const term = event.target.value.trim();
  cy.nodes().removeClass('found');
  if (!term) return;
  const found = cy.nodes().filter(n => n.id().startsWith(term));
  found.addClass('found');
  if (window.graphState) window.graphState.found = found.length;
  if (found.nonempty()) cy.animate({ center: { eles: found }, zoom: 2 }, { duration: 300 });
});

// Live: any assurance or voiding re-reads the graph (debounced). Needs a logged-in session.
let pending = null;
function live() {
  const url = (location.protocol === 'https:' ? 'wss://' : 'ws://') + location.host + '/graphql-ws';
  // Once the server has acknowledged the connection, redraw: anything recorded while connecting is
  // then on the page too, and every later event arrives through the subscription.
  const client = createClient({ url, retryAttempts: 3, on: { connected: () => {
    window.liveConnected = true;
    document.getElementById('live').textContent = 'live updates on';
    render();
  } } });
  client.subscribe({ query: 'subscription { ledgerEvents(types: ["AssuranceRecorded", "TtpAssuranceRecorded", "AssuranceVoided"]) { type } }' }, {
    next: () => { clearTimeout(pending); pending = setTimeout(render, 300); window.liveEvents = (window.liveEvents || 0) + 1; },
    error: e => { window.liveConnected = false; document.getElementById('live').textContent = 'live updates: log in to follow the ledger'; },
    complete: () => {},
  });
}

render().then(live).catch(e => { status.textContent = 'Could not load the graph: ' + e.message; });
