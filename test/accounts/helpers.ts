import { AuditEventModel } from '../../lib/models';

/** Account-suite helpers: audit look-ups and loosely typed JSON bodies. */

export const auditFor = (filter: Record<string, unknown>) => AuditEventModel.find(filter).sort({ at: 1, _id: 1 }).lean();

/** Response bodies in tests are read as loosely typed JSON. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export const json = async (res: Response): Promise<any> => res.json();
