// Infobip's Node SDK (@infobip-api/sdk 0.3.2, pinned in package-lock.json) against ccsim mock:
// every operation the SDK has that the mock serves, with every authentication the SDK knows
// (App key, Basic, IBSSO, OAuth 2.0). Each check states what a real integration relies on; a
// failure exits 1 with the SDK's own error. Run: node check.mjs BASE_URL
import { Infobip, AuthType } from '@infobip-api/sdk';

const baseUrl = process.argv[2] ?? 'http://127.0.0.1:18089';
const [username, password] = ['ccsim-local-user', 'ccsim-local-password'];
const sender = '385100';
const to = '447700900123';
let passed = 0;
let failed = 0;

function ok(what, cond, detail) {
  if (cond) {
    passed += 1;
  } else {
    failed += 1;
    console.error(`FAIL ${what}: ${JSON.stringify(detail)?.slice(0, 600)}`);
  }
}

// The SDK resolves errors as values (an AxiosError); unwrap either.
function status(r) {
  return r?.status ?? r?.response?.status;
}
function data(r) {
  return r?.data ?? r?.response?.data;
}

async function sends(client, how) {
  const messages = [
    { type: 'text', content: { text: 'Hello from the Node SDK' } },
    { type: 'document', content: { mediaUrl: 'https://example.com/a.pdf', filename: 'a.pdf' } },
    { type: 'image', content: { mediaUrl: 'https://example.com/a.png', caption: 'A' } },
    { type: 'audio', content: { mediaUrl: 'https://example.com/a.mp3' } },
    { type: 'video', content: { mediaUrl: 'https://example.com/a.mp4' } },
    { type: 'sticker', content: { mediaUrl: 'https://example.com/a.webp' } },
    { type: 'location', content: { latitude: 45.8, longitude: 15.97, name: 'Office' } },
    { type: 'contact', content: { contacts: [{ name: { firstName: 'Ana', formattedName: 'Ana H' }, phones: [{ phone: '385911234567' }] }] } },
    { type: 'interactive-buttons', content: { body: { text: 'Pick one' }, action: { buttons: [{ type: 'REPLY', id: '1', title: 'Yes' }, { type: 'REPLY', id: '2', title: 'No' }] } } },
    { type: 'interactive-list', content: { body: { text: 'Menu' }, action: { title: 'Choose', sections: [{ title: 'A', rows: [{ id: 'r1', title: 'Row 1' }] }] } } },
    { type: 'interactive-product', content: { action: { catalogId: 'c1', productRetailerId: 'p1' } } },
    { type: 'interactive-multi-product', content: { header: { type: 'TEXT', text: 'Ours' }, body: { text: 'See' }, action: { catalogId: 'c1', sections: [{ title: 'S', productRetailerIds: ['p1', 'p2'] }] } } },
  ];
  for (const m of messages) {
    const r = await client.channels.whatsapp.send({ from: sender, to, ...m });
    ok(`${how}: whatsapp ${m.type}`, status(r) === 200 && data(r)?.status?.groupName === 'PENDING', data(r));
  }
  const t = await client.channels.whatsapp.send({
    type: 'template',
    messages: [{ from: sender, to, content: { templateName: 'order_update', templateData: { body: { placeholders: ['A-17'] } }, language: 'en' } }],
  });
  ok(`${how}: whatsapp template`, status(t) === 200 && Array.isArray(data(t)?.messages), data(t));
  // The SDK checks lengths itself; a list's rows past ten in all are the platform's to refuse.
  const rows = Array.from({ length: 11 }, (_, k) => ({ id: `r${k}`, title: `Row ${k}` }));
  const bad = await client.channels.whatsapp.send({
    type: 'interactive-list', from: sender, to,
    content: { body: { text: 'Menu' }, action: { title: 'Choose', sections: [{ title: 'A', rows }] } },
  });
  ok(`${how}: eleven list rows are Infobip's 400`, status(bad) === 400 && data(bad)?.requestError?.serviceException?.messageId === 'BAD_REQUEST', data(bad));
}

async function main() {
  const app = new Infobip({ baseUrl, apiKey: 'ccsim-local-key', authType: AuthType.ApiKey });
  await sends(app, 'App key');

  const basic = new Infobip({ baseUrl, username, password, authType: AuthType.Basic });
  const r = await basic.channels.whatsapp.send({ type: 'text', from: sender, to, content: { text: 'Basic' } });
  ok('Basic: a send', status(r) === 200, data(r));

  // IBSSO: log in, send, log out; the token is dead after.
  const session = await basic.auth.ibsso.create();
  const token = data(session)?.token;
  ok('IBSSO: a session', status(session) === 200 && typeof token === 'string', data(session));
  const ibsso = new Infobip({ baseUrl, ibssoToken: token, authType: AuthType.IBSSO });
  const viaSession = await ibsso.channels.whatsapp.send({ type: 'text', from: sender, to, content: { text: 'IBSSO' } });
  ok('IBSSO: a send', status(viaSession) === 200, data(viaSession));
  const out = await basic.auth.ibsso.destroy(token);
  ok('IBSSO: log out', [200, 204].includes(status(out)), data(out));
  const dead = await ibsso.channels.whatsapp.send({ type: 'text', from: sender, to, content: { text: 'IBSSO' } });
  ok('IBSSO: a dead session is 401', status(dead) === 401, data(dead));

  const oauth = await basic.auth.oauth2.create();
  ok('OAuth 2.0: a token', status(oauth) === 200 && typeof data(oauth)?.access_token === 'string', data(oauth));
  const bearer = new Infobip({ baseUrl, oauthToken: data(oauth)?.access_token, authType: AuthType.OAuth });
  const viaToken = await bearer.channels.whatsapp.send({ type: 'text', from: sender, to, content: { text: 'Bearer' } });
  ok('OAuth 2.0: a send', status(viaToken) === 200, data(viaToken));

  const wrong = new Infobip({ baseUrl, apiKey: 'not-a-key', authType: AuthType.ApiKey });
  const denied = await wrong.channels.whatsapp.send({ type: 'text', from: sender, to, content: { text: 'x' } });
  ok('a wrong key is 401 with Infobip\'s body', status(denied) === 401 && data(denied)?.requestError?.serviceException?.messageId === 'UNAUTHORIZED', data(denied));

  // Templates (v2) and mark-as-read.
  const wa = app.channels.whatsapp;
  const made = await wa.template.create(sender, {
    name: 'node_sdk_check', language: 'en', category: 'UTILITY',
    structure: { body: { text: 'Your order {{1}} ships today.' }, type: 'TEXT' },
  });
  ok('template: create', status(made) === 201 && data(made)?.name === 'node_sdk_check', data(made));
  const listed = await wa.template.get(sender);
  ok('template: list', status(listed) === 200 && data(listed)?.templates?.some((t) => t.name === 'node_sdk_check'), data(listed));
  const gone = await wa.template.delete(sender, 'node_sdk_check');
  ok('template: delete', status(gone) === 204, data(gone));
  const read = await wa.markAsRead(sender, 'wamid.node-sdk');
  ok('mark as read', status(read) === 204, data(read));

  console.log(`@infobip-api/sdk 0.3.2 against ccsim mock: ${passed} checks passed, ${failed} failed`);
  process.exit(failed === 0 ? 0 : 1);
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
