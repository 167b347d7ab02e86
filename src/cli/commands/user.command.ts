import type { Command } from 'commander';
import { createApiToken, createUser, Role, SYSTEM_ACTOR } from '../../domain/identity/index.ts';
import type { CommandContext } from '../command-context.ts';

const collect = (value: string, previous: string[]) => [...previous, ...value.split(',').filter(Boolean)];

export function addUserCommands(program: Command, context: CommandContext): void {
  program
    .command('user')
    .description('Manage users')
    .command('create')
    .description('Create an agent or a customer contact')
    .requiredOption('--email <email>', 'e-mail address (sign-in name)')
    .requiredOption('--name <name>', 'display name')
    .requiredOption('--role <role>', `role, repeatable or comma-separated: ${Role.options.join(', ')}`, collect, [])
    .option('--organization <id>', 'organisation id (customer contacts)')
    .option('--password <password>', 'initial password (at least 10 characters)')
    .option('--senior', 'senior agent')
    .option('--line <line>', 'support line L1, L2 or L3')
    .action(async (options: { email: string; name: string; role: string[]; organization?: string; password?: string; senior?: boolean; line?: string }) => {
      const roles = Role.array().safeParse(options.role);
      if (!roles.success) throw new Error(`invalid --role ${options.role.join(',')}: each role is one of ${Role.options.join(', ')}`);
      const user = await context.withDatabase('user create', (database) =>
        createUser(database.db, SYSTEM_ACTOR, {
          email: options.email,
          name: options.name,
          roles: roles.data,
          organizationId: options.organization,
          password: options.password,
          senior: options.senior,
          supportLine: options.line as 'L1' | 'L2' | 'L3' | undefined,
        }),
      );
      context.write(`created ${user.kind} ${user.email} (${user.roles.join(', ')}) id=${user.id}`);
    });

  program
    .command('token')
    .description('Manage API tokens')
    .command('create')
    .description('Create an API token for a user (agent or contact); it is printed once')
    .requiredOption('--user <email>', 'the user the token acts as')
    .option('--name <name>', 'a label for the token', 'cli')
    .action(async (options: { user: string; name: string }) => {
      const created = await context.withDatabase('token create', (database) => createApiToken(database.db, SYSTEM_ACTOR, options.user, options.name));
      context.write(created.token);
    });
}
