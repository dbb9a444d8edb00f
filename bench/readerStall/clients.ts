// Child process of bench/readerStall.ts: N bare `ws` readers of /live speaking the Socket.IO wire
// format by hand (engine.io 4: '40/live,' to join, '42/live,0[...]' to subscribe, '3' to pong), so
// the readers cost this process little and the server's process nothing. IPC: {open: n, url, slug}
// → {opened}; every `change` counted per seq, {got: seq} once all N have it.
import WebSocket from 'ws';

let readers = 0;
const counts = new Map<number, number>();

function open(url: string, slug: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${url.replace(/^http/, 'ws')}/socket.io/?EIO=4&transport=websocket`, { perMessageDeflate: false });
    ws.on('error', reject);
    ws.on('message', (raw) => {
      const m = raw.toString();
      if (m === '2') return ws.send('3');
      if (m.startsWith('0{')) return ws.send('40/live,');
      if (m.startsWith('40/live,')) return ws.send(`42/live,0${JSON.stringify(['subscribe', { slug, after: 0 }])}`);
      if (m.startsWith('43/live,0')) return resolve();
      if (m.startsWith('42/live,["change"')) {
        const seq = Number(/"seq":(\d+)/.exec(m)![1]);
        const n = (counts.get(seq) ?? 0) + 1;
        counts.set(seq, n);
        if (n === readers) process.send!({ got: seq });
      }
    });
  });
}

process.on('message', async (msg: { open: number; url: string; slug: string }) => {
  for (let i = 0; i < msg.open; i += 200) {
    await Promise.all(Array.from({ length: Math.min(200, msg.open - i) }, () => open(msg.url, msg.slug)));
  }
  readers = msg.open;
  process.send!({ opened: readers });
});
