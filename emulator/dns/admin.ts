/**
 * /_admin/dns: the loopback DNS server's zone records, for dev scripts and tests in other
 * processes. PUT a name's TXT records (each record a list of its character-strings) or a
 * fault; DELETE it to make the name NXDOMAIN again.
 */
import express, { type Router } from 'express';
import { z } from 'zod';
import { EmulatorError } from '../errors';
import type { DnsZones } from './zones';

const entry = z.union([
  z.strictObject({ txt: z.array(z.array(z.string().max(255)).min(1).max(20)).max(50) }),
  z.strictObject({ fault: z.enum(['servfail', 'timeout']) }),
]);

export function dnsAdminApi(zones: DnsZones): Router {
  const r = express.Router();
  r.use(express.json({ limit: '64kb' }));
  r.get('/', (_req, res) => void res.json(zones.list()));
  r.put('/:name', (req, res) => {
    const parsed = entry.safeParse(req.body ?? {});
    if (!parsed.success)
      throw new EmulatorError(400, parsed.error.issues.map((i) => `${i.path.join('.') || 'body'}: ${i.message}`).join('; '));
    zones.set(req.params.name, parsed.data);
    res.json({ name: req.params.name.toLowerCase(), entry: parsed.data });
  });
  r.delete('/:name', (req, res) => void res.status(zones.delete(req.params.name) ? 204 : 404).end());
  return r;
}
