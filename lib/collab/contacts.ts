import { conflict } from '../errors';
import { ContactModel, UserModel } from '../models';
import { contactFor, type Actor } from './access';
import { isDuplicateKey, normalizeEmail } from './people';

/**
 * A user's private address book. A contact may or may not be an Entrada user; when it is,
 * the link lets pages offer sharing with them. Nobody else sees or learns of it.
 */

export interface ContactView {
  id: string;
  email: string;
  name: string | null;
  isUser: boolean;
}

export async function listContacts(actor: Actor): Promise<ContactView[]> {
  const contacts = await ContactModel.find({ ownerId: actor.id }).lean();
  const label = (c: ContactView) => (c.name || c.email).toLowerCase();
  return contacts.map(view).sort((a, b) => label(a).localeCompare(label(b)));
}

export async function addContact(actor: Actor, input: { email: string; name?: string }): Promise<ContactView> {
  const email = normalizeEmail(input.email);
  const user = await UserModel.findOne({ email, status: 'active' }, { _id: 1 }).lean();
  try {
    const contact = await ContactModel.create({ ownerId: actor.id, email, name: input.name || undefined, contactUserId: user?._id });
    return view(contact);
  } catch (err) {
    if (isDuplicateKey(err)) throw conflict(`${email} is already in your contacts.`);
    throw err;
  }
}

export async function renameContact(actor: Actor, contactId: string, name: string): Promise<ContactView> {
  const contact = await contactFor(actor, contactId);
  contact.name = name || undefined;
  await contact.save();
  return view(contact);
}

export async function deleteContact(actor: Actor, contactId: string): Promise<void> {
  const contact = await contactFor(actor, contactId);
  await ContactModel.deleteOne({ _id: contact._id });
}

function view(c: { _id: unknown; email: string; name?: string | null; contactUserId?: unknown }): ContactView {
  return { id: String(c._id), email: c.email, name: c.name ?? null, isUser: Boolean(c.contactUserId) };
}
