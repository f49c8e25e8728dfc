import { loadConfigOrExit } from '../lib/config';
import { connectDb } from '../lib/db';
import { createMailer } from '../lib/mailer';
import { createTemporalClient } from '../lib/temporal';
import { createApp } from './app';

async function main() {
  const config = loadConfigOrExit();
  await connectDb(config.MONGO_URL);
  const temporal = await createTemporalClient(config);
  const mailer = createMailer({ smtpUrl: config.SMTP_URL, from: config.MAIL_FROM });
  const app = createApp({ config, temporal, mailer });
  const server = app.listen(config.WEB_PORT, config.WEB_HOST, () => {
    console.log(`web: listening on http://${config.WEB_HOST}:${config.WEB_PORT} (public URL ${config.PUBLIC_BASE_URL})`);
  });
  // Idle keep-alive connections stay open longer than a client or proxy keeps them (Node's 5 s
  // default is shorter than most load balancers' 60 s): otherwise the server closes a connection
  // just as the other side sends a request on it, and that request fails ("other side closed",
  // a 502 behind a proxy; the benchmarks' fetch client met it between their phases).
  server.keepAliveTimeout = 65_000;
  server.headersTimeout = 66_000;
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}

main().catch((err) => {
  console.error('web: fatal', err);
  process.exit(1);
});
