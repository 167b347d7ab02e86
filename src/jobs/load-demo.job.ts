import type { Db } from '../platform/db/database.ts';
import { createOrganization, putEnvironment } from '../domain/accounts/index.ts';
import { createTeam, createUser, findUserByEmail, SYSTEM_ACTOR, type Actor, type User } from '../domain/identity/index.ts';
import { addMessage, createTicket, updateTicket, type Priority, type TicketStatus } from '../domain/tickets/index.ts';

/** Every demo user signs in with this password (demo data only). */
export const DEMO_PASSWORD = 'casebook-demo-2026';

type CaseSeed = { subject: string; by: string; priority: Priority; status: TicketStatus; agent?: string; product: string; note?: string; reply?: string };

const CASES: CaseSeed[] = [
  { subject: 'Production map server down after patch', by: 'gary', priority: 'P1', status: 'open', agent: 'dmitri', product: 'GIS Server', reply: 'We are on it: collecting logs from your load balancer now.', note: 'Looks like the reverse proxy drops WebSocket upgrades.' },
  { subject: 'Geocoding service returns 502 intermittently', by: 'hana', priority: 'P2', status: 'pending-customer', agent: 'eva', product: 'Geocoder', reply: 'Could you send the proxy access log for 14:00–15:00?' },
  { subject: 'Upgrade path from 10.9 to 11.3', by: 'gary', priority: 'P3', status: 'open', agent: 'chloe', product: 'GIS Server' },
  { subject: 'License file rejected on new node', by: 'hana', priority: 'P2', status: 'new', product: 'Licensing' },
  { subject: 'Tile cache rebuild takes 3 days', by: 'gary', priority: 'P3', status: 'pending-vendor', agent: 'dmitri', product: 'GIS Server', note: 'Escalated to upstream vendor, waiting on their case.' },
  { subject: 'Question about retirement of 10.8', by: 'hana', priority: 'P4', status: 'solved', agent: 'eva', product: 'GIS Server', reply: '10.8 retires on 2027-03-01; see the lifecycle calendar.' },
  { subject: 'SAML login loops for some users', by: 'gary', priority: 'P2', status: 'on-hold', agent: 'chloe', product: 'Portal' },
  { subject: 'Schedule a patch window review', by: 'hana', priority: 'P4', status: 'closed', agent: 'eva', product: 'GIS Server' },
  { subject: 'Printing service memory leak', by: 'gary', priority: 'P3', status: 'new', product: 'GIS Server' },
  { subject: 'Slow feature queries on large layers', by: 'hana', priority: 'P3', status: 'open', agent: 'dmitri', product: 'GIS Server' },
  { subject: 'Website down: server not responding', by: 'nina', priority: 'P1', status: 'new', product: 'Managed VPS' },
  { subject: 'Transfer a domain from another registrar', by: 'omar', priority: 'P4', status: 'new', product: 'Domains' },
  { subject: 'Mailbox quota exceeded', by: 'omar', priority: 'P3', status: 'open', agent: 'alice', product: 'E-mail hosting', reply: 'We raised the quota to 10 GB; please confirm.' },
  { subject: 'SSL certificate renewal failed', by: 'nina', priority: 'P2', status: 'pending-customer', agent: 'bruno', product: 'Managed VPS', reply: 'The DNS CAA record blocks the CA. Can you allow it?' },
  { subject: 'Backup restore of 12 November', by: 'nina', priority: 'P2', status: 'open', agent: 'chloe', product: 'Backups', note: 'Restore job queued on storage node 3.' },
  { subject: 'DNS zone not propagating', by: 'omar', priority: 'P3', status: 'solved', agent: 'alice', product: 'Domains', reply: 'The zone is live now; propagation can take up to 24 h.' },
  { subject: 'Invoice shows wrong VAT number', by: 'nina', priority: 'P4', status: 'closed', agent: 'bruno', product: 'Billing' },
  { subject: 'PHP version upgrade request', by: 'omar', priority: 'P4', status: 'open', agent: 'alice', product: 'Managed VPS' },
  { subject: 'High load on database server', by: 'nina', priority: 'P2', status: 'new', product: 'Managed VPS' },
  { subject: 'FTP access for a new developer', by: 'omar', priority: 'P3', status: 'pending-customer', agent: 'bruno', product: 'Managed VPS' },
];

/** Loads the demo workspace through the same use cases the API uses. Refuses to load twice. */
export async function loadDemoWorkspace(db: Db, onProgress: (line: string) => void = () => {}): Promise<{ loaded: boolean }> {
  if (await findUserByEmail(db, 'alice@casebook.example')) {
    onProgress('demo workspace already loaded');
    return { loaded: false };
  }
  const system = SYSTEM_ACTOR;
  const password = DEMO_PASSWORD;
  const agent = (email: string, name: string, roles: User['roles'], line: 'L1' | 'L2' | 'L3', senior: boolean, timeZone: string) =>
    createUser(db, system, { email, name, roles, supportLine: line, senior, timeZone, password, maxOpenCases: 25, workingHours: { mon: [['09:00', '17:00']], tue: [['09:00', '17:00']], wed: [['09:00', '17:00']], thu: [['09:00', '17:00']], fri: [['09:00', '17:00']] } });
  onProgress('agents and teams…');
  const agents: Record<string, User> = {
    alice: await agent('alice@casebook.example', 'Alice Martin', ['agent'], 'L1', false, 'America/Toronto'),
    bruno: await agent('bruno@casebook.example', 'Bruno Leroy', ['agent'], 'L1', false, 'Europe/Paris'),
    chloe: await agent('chloe@casebook.example', 'Chloé Dubois', ['agent', 'csm'], 'L2', true, 'Europe/Paris'),
    dmitri: await agent('dmitri@casebook.example', 'Dmitri Ivanov', ['agent'], 'L3', true, 'Asia/Singapore'),
    eva: await agent('eva@casebook.example', 'Eva Rossi', ['agent', 'tam'], 'L2', true, 'America/Toronto'),
  };
  await createTeam(db, system, { name: 'Frontline', leadId: agents.alice!.id, memberIds: [agents.alice!.id, agents.bruno!.id] });
  await createTeam(db, system, { name: 'Experts', leadId: agents.dmitri!.id, memberIds: [agents.chloe!.id, agents.dmitri!.id, agents.eva!.id] });

  onProgress('organisations and contacts…');
  const northwind = await createOrganization(db, system, { name: 'Northwind Hosting', planCode: 'standard', domains: ['northwind.example'], accountTeam: [{ userId: agents.chloe!.id, role: 'csm' }] });
  const globex = await createOrganization(db, system, { name: 'Globex GIS', planCode: 'premium', tamId: agents.eva!.id, domains: ['globex.example'], accountTeam: [{ userId: agents.chloe!.id, role: 'csm' }] });
  await putEnvironment(db, system, globex.id, {
    components: [
      { product: 'GIS Server', version: '11.3', database: 'PostgreSQL', databaseVersion: '15.6', os: 'RHEL', osVersion: '9.4', specialConfiguration: 'Custom F5 load balancer in front of two web adaptors; TLS ends at the proxy.' },
      { product: 'Portal', version: '11.3', os: 'Windows Server', osVersion: '2022', specialConfiguration: 'SAML with Azure AD' },
    ],
    notes: 'Architecture diagram v3 is attached to the last touchpoint.',
  });
  await putEnvironment(db, system, northwind.id, { components: [{ product: 'Managed VPS', version: 'Debian 12', database: 'MariaDB', databaseVersion: '10.11', specialConfiguration: 'nginx reverse proxy with HTTP/3' }] });
  const contact = (email: string, name: string, organizationId: string, admin: boolean) =>
    createUser(db, system, { email, name, roles: [admin ? 'customer-admin' : 'customer'], organizationId, password, timeZone: 'America/Toronto' });
  const contacts: Record<string, User> = {
    nina: await contact('nina@northwind.example', 'Nina Patel', northwind.id, true),
    omar: await contact('omar@northwind.example', 'Omar Haddad', northwind.id, false),
    gary: await contact('gary@globex.example', 'Gary Chen', globex.id, true),
    hana: await contact('hana@globex.example', 'Hana Sato', globex.id, false),
  };

  onProgress('cases…');
  for (const [index, seed] of CASES.entries()) {
    const requester = contacts[seed.by]!;
    const asRequester: Actor = { userId: requester.id, kind: 'contact', roles: requester.roles, organizationId: requester.organizationId, senior: false, name: requester.name, email: requester.email, locale: 'en' };
    const ticket = await createTicket(db, asRequester, { subject: seed.subject, body: `${seed.subject}.\n\nDetails from ${requester.name}.`, product: seed.product, priority: seed.priority });
    const assignee = seed.agent ? agents[seed.agent] : undefined;
    const asAgent: Actor = assignee
      ? { userId: assignee.id, kind: 'agent', roles: assignee.roles, organizationId: null, senior: assignee.senior, name: assignee.name, email: assignee.email, locale: 'en' }
      : system;
    if (assignee) await updateTicket(db, system, ticket.id, { assigneeId: assignee.id, supportLine: assignee.supportLine });
    if (seed.note) await addMessage(db, asAgent, ticket.id, { body: seed.note, internal: true });
    if (seed.reply) await addMessage(db, asAgent, ticket.id, { body: seed.reply });
    const path: TicketStatus[] = seed.status === 'closed' ? ['solved', 'closed'] : seed.status === 'new' || seed.status === 'open' ? [] : [seed.status];
    for (const status of path) await updateTicket(db, system, ticket.id, { status });
    if (seed.status === 'open' && !assignee) await updateTicket(db, system, ticket.id, { status: 'open' });
    onProgress(`  case ${index + 1}/${CASES.length}`);
  }
  return { loaded: true };
}
