// Key management over HTTP, for admins.
import type { FastifyInstance } from 'fastify';
import Type from 'typebox';
import { operation, problemResponse, ref } from '../http/openapi.ts';
import { bi } from '../i18n.ts';
import { type KeyService, ROLE_DESCRIPTIONS, ROLES } from './keys.ts';

const RoleSchema = Type.Enum([...ROLES], {
  description: bi(
    ROLES.map((r) => `\`${r}\`: ${ROLE_DESCRIPTIONS[r].en}`).join('; '),
    ROLES.map((r) => `\`${r}\`：${ROLE_DESCRIPTIONS[r].zh}`).join('；'),
  ),
});
const ApiKeySchema = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    roles: Type.Array(RoleSchema),
    created_at: Type.String(),
    last_used_at: Type.Optional(Type.String()),
    revoked_at: Type.Optional(Type.String({ description: bi('Set once revoked.', '吊销后才有此字段。') })),
  },
  { $id: 'ApiKey', description: bi('An API key, without its secret.', '一个 API 密钥（不含密钥本身）。') },
);
const ApiKeyListSchema = Type.Array(ref(ApiKeySchema), {
  $id: 'ApiKeyList',
  description: bi('Every API key, revoked ones included.', '全部 API 密钥，含已吊销的。'),
});
const NewKeySchema = Type.Object(
  {
    roles: Type.Array(RoleSchema, { minItems: 1 }),
    name: Type.Optional(
      Type.String({ maxLength: 200, description: bi('Who or what uses it.', '使用者或用途。') }),
    ),
  },
  { $id: 'NewKey', description: bi('The key to create.', '要创建的密钥。') },
);
const CreatedKeySchema = Type.Object(
  {
    key: Type.String({
      description: bi(
        'The secret, to send as `Authorization: Bearer KEY`; shown this once only.',
        '密钥本身，以 `Authorization: Bearer KEY` 发送；仅此一次显示。',
      ),
    }),
    api_key: ref(ApiKeySchema),
  },
  { $id: 'CreatedKey', description: bi('A new API key and its secret.', '新建的 API 密钥及其密钥本身。') },
);

/** The named schemas of these routes, for the composition root to register (`app.addSchema`). */
export const keySchemas = [ApiKeySchema, ApiKeyListSchema, NewKeySchema, CreatedKeySchema];

export async function keyRoutes(app: FastifyInstance, deps: { keys: KeyService }) {
  const out = (k: Awaited<ReturnType<KeyService['list']>>[number]) => ({
    id: k.id,
    name: k.name,
    roles: k.roles,
    created_at: k.createdAt,
    last_used_at: k.lastUsedAt,
    revoked_at: k.revokedAt,
  });

  app.post(
    '/v1/keys',
    {
      config: { roles: ['admin'] },
      schema: {
        ...operation({
          id: 'createKey',
          summary: ['Create an API key (shown once)', '创建 API 密钥（仅显示一次）'],
          description: [
            'Creates a key with the given roles. Its secret is in this answer only: Tianping keeps a SHA-256 hash of it.',
            '创建具有指定角色的密钥。密钥本身只出现在本次响应中：天平只保存其 SHA-256 摘要。',
          ],
          tags: ['access'],
        }),
        body: ref(NewKeySchema),
        response: { 201: ref(CreatedKeySchema) },
      },
    },
    async (req, reply) => {
      const body = req.body as { roles: string[]; name?: string };
      const r = await deps.keys.create({ roles: body.roles, name: body.name, createdBy: req.apiKey?.id });
      return reply.status(201).send({ key: r.key, api_key: out(r.apiKey) });
    },
  );

  app.get(
    '/v1/keys',
    {
      config: { roles: ['admin'] },
      schema: {
        ...operation({
          id: 'listKeys',
          summary: ['List API keys (never their secrets)', '列出 API 密钥（不含密钥本身）'],
          description: [
            'Every key with its roles, when it was created and last used, and when it was revoked.',
            '列出每个密钥的角色、创建时间、最近使用时间和吊销时间。',
          ],
          tags: ['access'],
        }),
        response: { 200: ref(ApiKeyListSchema) },
      },
    },
    async () => (await deps.keys.list()).map(out),
  );

  app.delete(
    '/v1/keys/:id',
    {
      config: { roles: ['admin'] },
      schema: {
        ...operation({
          id: 'revokeKey',
          summary: ['Revoke an API key', '吊销 API 密钥'],
          description: [
            'The key is refused from now on, in every process sharing the store within a second.',
            '该密钥此后即被拒绝；共用同一存储的所有进程在一秒内生效。',
          ],
          tags: ['access'],
        }),
        params: Type.Object({ id: Type.String({ description: bi("The key's id.", '密钥编号。') }) }),
        response: { 200: ref(ApiKeySchema), 404: problemResponse(404) },
      },
    },
    async (req) => out(await deps.keys.revoke((req.params as { id: string }).id)),
  );
}
