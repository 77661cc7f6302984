// Share links, for src/ui/share.rs: a workspace compressed (deflate, the browser's own
// CompressionStream) into the address's fragment, which never reaches a server.

const PREFIX = '#share=';

function toBase64Url(bytes) {
  let binary = '';
  for (let i = 0; i < bytes.length; i += 0x8000) binary += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}

function fromBase64Url(code) {
  const binary = atob(code.replace(/-/g, '+').replace(/_/g, '/'));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i += 1) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

// The link that opens `text` (a scenario document).
export async function linkFor(text) {
  const stream = new Blob([text]).stream().pipeThrough(new CompressionStream('deflate-raw'));
  const bytes = new Uint8Array(await new Response(stream).arrayBuffer());
  return `${location.origin}${location.pathname}${location.search}${PREFIX}${toBase64Url(bytes)}`;
}

// The document a shared link carries, or null when the address has none. Throws when the
// fragment is not one this page wrote (cut short, changed by hand).
export async function sharedText() {
  if (!location.hash.startsWith(PREFIX)) return null;
  const bytes = fromBase64Url(decodeURIComponent(location.hash.slice(PREFIX.length)));
  const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream('deflate-raw'));
  return new Response(stream).text();
}

// Takes the shared document out of the address, so a reload does not offer it again.
export function forgetShared() {
  history.replaceState(null, '', `${location.pathname}${location.search}`);
}

// Puts `text` on the clipboard.
export async function copy(text) {
  await navigator.clipboard.writeText(text);
}
