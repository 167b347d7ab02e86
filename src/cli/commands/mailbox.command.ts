import type { Command } from 'commander';
import { listTeams, SYSTEM_ACTOR, type Team } from '../../domain/identity/index.ts';
import { createMailbox, CreateMailboxInput, listMailboxes, type Mailbox } from '../../domain/mail/index.ts';
import type { Db } from '../../platform/db/database.ts';
import type { CommandContext } from '../command-context.ts';

/** A team by name (case-insensitive) or id. */
async function resolveTeam(db: Db, nameOrId: string): Promise<Team> {
  const teams = await listTeams(db, SYSTEM_ACTOR);
  const team = teams.find((candidate) => candidate.id === nameOrId || candidate.name.toLowerCase() === nameOrId.trim().toLowerCase());
  if (!team) throw new Error(`MAILBOX_TEAM_INVALID: no team named "${nameOrId}" (teams: ${teams.map((candidate) => candidate.name).join(', ') || 'none yet'})`);
  return team;
}

function describeMailbox(mailbox: Mailbox, teams: Team[]): string {
  const team = teams.find((candidate) => candidate.id === mailbox.teamId)?.name ?? '-';
  const parts = [mailbox.address, mailbox.name ? `"${mailbox.name}"` : null, `team=${team}`, mailbox.imapUrl ? `imap=${mailbox.imapUrl}` : 'smtp only', mailbox.isActive ? null : 'inactive', `id=${mailbox.id}`];
  return parts.filter(Boolean).join('  ');
}

export function addMailboxCommands(program: Command, context: CommandContext): void {
  const mailbox = program.command('mailbox').description('Mailboxes Casebook receives mail for');
  mailbox
    .command('add')
    .description('Add a mailbox: the address, the team its new cases go to, optionally an IMAP source to poll')
    .requiredOption('--address <address>', 'the address customers write to, e.g. support@example.com')
    .requiredOption('--team <name>', 'the default team (name or id)')
    .option('--imap <url>', 'imaps://user:password@host:993/INBOX to poll an existing mailbox')
    .option('--name <name>', 'display name used on outgoing mail')
    .action(async (options: { address: string; team: string; imap?: string; name?: string }) => {
      const created = await context.withDatabase('mailbox add', async (database) => {
        const team = await resolveTeam(database.db, options.team);
        const input = CreateMailboxInput.safeParse({ address: options.address, teamId: team.id, imapUrl: options.imap ?? null, name: options.name });
        if (!input.success) throw new Error(`invalid mailbox: ${input.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`).join('; ')}`);
        return { mailbox: await createMailbox(database.db, SYSTEM_ACTOR, input.data), team };
      });
      context.write(`created mailbox ${describeMailbox(created.mailbox, [created.team])}`);
    });
  mailbox
    .command('list')
    .description('List the mailboxes (IMAP passwords masked)')
    .option('--json', 'print one JSON object per line')
    .action(async (options: { json?: boolean }) => {
      const { mailboxes, teams } = await context.withDatabase('mailbox list', async (database) => ({
        mailboxes: await listMailboxes(database.db, SYSTEM_ACTOR),
        teams: await listTeams(database.db, SYSTEM_ACTOR),
      }));
      if (mailboxes.length === 0 && !options.json) context.write('no mailboxes yet: casebook mailbox add --address support@example.com --team NAME');
      for (const entry of mailboxes) context.write(options.json ? JSON.stringify(entry) : describeMailbox(entry, teams));
    });
}
