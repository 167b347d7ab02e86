import type { Command } from 'commander';
import { loadDemoWorkspace } from '../../jobs/load-demo.job.ts';
import type { CommandContext } from '../command-context.ts';

export function addDemoCommands(program: Command, context: CommandContext): void {
  program
    .command('demo')
    .description('Demo workspace')
    .command('load')
    .description('Load the demo workspace (two organisations, five agents, twenty cases)')
    .action(async () => {
      const result = await context.withDatabase('demo load', (database) => loadDemoWorkspace(database.db, context.write));
      context.write(result.loaded ? 'demo workspace loaded' : 'nothing to do');
    });
}
