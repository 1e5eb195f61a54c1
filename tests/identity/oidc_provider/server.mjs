// An OpenID Connect provider for the single sign-on tests, on loopback only.
//
// The certified `oidc-provider` package with its development sign-in pages (any password is
// accepted for a known account). Accounts and their groups are read from ACCOUNTS_FILE on every
// sign-in, so a test can change someone's groups between two sign-ins. Consent is granted
// without asking, as an organisation's provider does for its own applications.
import fs from 'node:fs';

import Provider from 'oidc-provider';

const env = (name) => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};

const port = Number(env('PORT'));
const accounts = () => JSON.parse(fs.readFileSync(env('ACCOUNTS_FILE'), 'utf8'));
const scopes = ['openid', 'email', 'profile', 'groups'];

const provider = new Provider(`http://127.0.0.1:${port}`, {
  clients: [
    {
      client_id: env('CLIENT_ID'),
      client_secret: env('CLIENT_SECRET'),
      redirect_uris: [env('REDIRECT_URI')],
      post_logout_redirect_uris: [env('POST_LOGOUT_REDIRECT_URI')],
      response_types: ['code'],
      grant_types: ['authorization_code'],
      token_endpoint_auth_method: 'client_secret_post',
    },
  ],
  scopes,
  claims: {
    openid: ['sub'],
    email: ['email', 'email_verified'],
    profile: ['name', 'given_name', 'family_name', 'preferred_username'],
    groups: ['groups'],
  },
  cookies: { keys: ['cookie-key-for-tests-only'] },
  features: { devInteractions: { enabled: true }, rpInitiatedLogout: { enabled: true } },
  async findAccount(ctx, id) {
    const account = accounts()[id];
    if (!account) return undefined;
    return { accountId: id, claims: async () => ({ sub: id, email_verified: true, ...account }) };
  },
  async loadExistingGrant(ctx) {
    const { Grant } = ctx.oidc.provider;
    const grant = new Grant({
      clientId: ctx.oidc.client.clientId,
      accountId: ctx.oidc.session.accountId,
    });
    grant.addOIDCScope(scopes.join(' '));
    await grant.save();
    return grant;
  },
});
provider.proxy = false;

const server = provider.listen(port, '127.0.0.1', () => {
  console.log(`listening on ${port}`);
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
