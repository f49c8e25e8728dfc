/**
 * Fault injection on the real stack: one database call (a mongoose query, or a model method
 * such as `create`) fails as if the database had gone away, once; everything else runs for
 * real. Lets a test show what a user sees, and what is left behind, at that exact step.
 */
import mongoose, { type Model } from 'mongoose';
import { vi } from 'vitest';

export const databaseDown = () => new mongoose.mongo.MongoNetworkError('injected fault: connection closed');

type AnyModel = Model<any>; // eslint-disable-line @typescript-eslint/no-explicit-any -- any schema

/** The next `op` query (findOne, updateOne, findOneAndUpdate...) on `model` fails. */
export function failNextQuery(model: AnyModel, op: string, error: Error = databaseDown()): void {
  const exec = mongoose.Query.prototype.exec;
  // `op` is set on every query at run time, though mongoose's types leave it out.
  const spy = vi.spyOn(mongoose.Query.prototype, 'exec').mockImplementation(function (
    this: mongoose.Query<unknown, unknown> & { op?: string },
    ...args: unknown[]
  ) {
    if (this.model?.modelName !== model.modelName || this.op !== op)
      return (exec as (...a: unknown[]) => Promise<unknown>).apply(this, args);
    spy.mockRestore();
    return Promise.reject(error);
  });
}

/** The next call of a model method that is not a query (`create`, `insertMany`) fails. */
export function failNextCall(model: AnyModel, method: 'create' | 'insertMany', error: Error = databaseDown()): void {
  vi.spyOn(model, method).mockRejectedValueOnce(error);
}

/** The next call of the model's collection method fails (writes that bypass mongoose's model methods, e.g. the audit chain's ordered `insertMany`). */
export function failNextCollectionCall(model: AnyModel, method: 'insertOne' | 'insertMany', error: Error = databaseDown()): void {
  vi.spyOn(model.collection, method).mockRejectedValueOnce(error);
}

/** What the Temporal client's gRPC layer throws when the server cannot be reached (code 14, UNAVAILABLE). */
export const temporalDown = () =>
  Object.assign(new Error('14 UNAVAILABLE: injected fault'), {
    code: 14,
    details: 'injected fault: Temporal is unavailable',
    metadata: { get: () => [] },
  });
