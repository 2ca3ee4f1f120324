/**
 * Dashboard sign-in from a shell (docs/security.md "People"), working on DATA_DIR/auth.sqlite beside
 * a running server:
 *
 *   npm run auth -- setup-code                  a single-use code for a new administrator
 *   npm run auth -- setup-code --member "Ana"   the way back in for a member who lost every passkey
 *   npm run auth -- members                     who can sign in, with their role and passkeys
 */
import { parseArgs } from 'node:util';
import { ConfigError, parseEnv } from '../lib/env';
import { signIn } from '../lib/auth/sign-in';
import { issueSetupCode, setupCodeMessage } from '../lib/auth/setup-code';

function fail(message: string): never {
  console.error(message);
  process.exit(1);
}

function main(): void {
  const { values, positionals } = parseArgs({ allowPositionals: true, options: { member: { type: 'string' } } });
  let e;
  try {
    e = parseEnv();
  } catch (error) {
    if (error instanceof ConfigError) fail(error.message);
    throw error;
  }
  const auth = signIn(e);
  if (!auth) fail('Dashboard sign-in is off: set PUBLIC_URL (the address people open) first. See docs/security.md, "People".');
  const command = positionals[0];
  if (command === 'setup-code') {
    let member;
    if (values.member !== undefined) {
      member = auth.store.memberByName(values.member);
      if (!member)
        fail(
          `No member named '${values.member}'. Members: ${
            auth.store
              .members()
              .map((m) => m.name)
              .join(', ') || 'none'
          }.`,
        );
    }
    console.log(setupCodeMessage(issueSetupCode(auth, member)));
  } else if (command === 'members') {
    const members = auth.store.members();
    if (members.length === 0) console.log('No members yet: `npm run auth -- setup-code` makes a code for the first administrator.');
    for (const member of members) {
      const passkeys = auth.store.passkeysOf(member.id);
      console.log(`${member.name}\t${member.role}\t${passkeys.length} passkey(s)\tjoined ${new Date(member.createdAt).toISOString()}`);
    }
  } else {
    fail('usage: npm run auth -- setup-code [--member <name>] | members');
  }
}

main();
