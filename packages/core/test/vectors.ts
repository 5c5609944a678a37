// Known-answer vectors of zksso/v1 (protocol §2–§9). Each value was computed by @zksso/core and checked
// against circomlibjs and independent re-computations in src/vectors.test.ts, which re-checks them on every
// run. Other packages (circuits, contracts) may import this file to test their implementations.

export const VECTOR_SALT = 129390038577185583942388216820280642146n;
export const VECTOR_ISS = 'https://accounts.google.com';
export const VECTOR_AUD = '575519204237-msop9ep45u2uo98hapqmngv8d84qdc8k.apps.googleusercontent.com';
export const VECTOR_SUB = '110463452167303598383';
export const VECTOR_EMAIL = 'alice@example.com';
export const VECTOR_SECP256K1_KEY = {
  type: 'secp256k1',
  address: '0x5aAeb6053F3E94C9b9A09f33669435E7Ef1BeAed',
} as const;
/** The P-256 generator point, a fixed valid public key. */
export const VECTOR_P256_KEY = {
  type: 'p256',
  x: 0x6b17d1f2e12c4247f8bce6e563a440f277037d812deb33a0f4a13945d898c296n,
  y: 0x4fe342e2fe1a7f9b8ee7eb4a7c0f9e162bce33576b315ececbb6406837bf51f5n,
} as const;
export const VECTOR_EXPIRY = 1_900_000_000n;
export const VECTOR_RANDOMNESS = 0x1234567890abcdef1234567890abcdefn;
/** A 2048-bit test modulus (not a real RSA key; only its limbs and hash matter here). */
export const VECTOR_MODULUS =
  (1n << 2047n) + 0x1234567890abcdefn * (1n << 1000n) + 65537n * 12345678901234567890n + 1n;
export const VECTOR_CREDENTIAL_ID = new Uint8Array([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16]);

export const POSEIDON_VECTORS: readonly { inputs: readonly bigint[]; output: bigint }[] = [
  { inputs: [1n], output: 18586133768512220936620570745912940619677854269274689475585506675881198879027n },
  { inputs: [1n, 2n], output: 7853200120776062878684798364095072458815029376092732009249414926327459813530n },
  {
    inputs: [0n, 0n, 0n, 0n],
    output: 2351654555892372227640888372176282444150254868378439619268573230312091195718n,
  },
  {
    inputs: [1n, 2n, 3n, 4n, 5n, 6n, 7n, 8n, 9n, 10n, 11n, 12n, 13n, 14n, 15n, 16n],
    output: 9989051620750914585850546081941653841776809718687451684622678807385399211877n,
  },
];

export const HASH_BYTES_VECTORS: readonly { value: string; maxLen: number; output: bigint }[] = [
  {
    value: '',
    maxLen: 31,
    output: 14744269619966411208579211824598458697587494354926760081771325075741142829156n,
  },
  {
    value: 'sub',
    maxLen: 31,
    output: 7689818215506190064609630074283098947508849959002123414986060900473597121331n,
  },
  {
    value: 'email',
    maxLen: 31,
    output: 6636377758259819014736480859264150272214473277889629946693086944008162196834n,
  },
  {
    value: VECTOR_SUB,
    maxLen: 124,
    output: 17510714628424377412962276576632866904983402009458148590316860566329767955681n,
  },
  {
    value: VECTOR_AUD,
    maxLen: 124,
    output: 11238426353359724510222334090745511933660508883213564504227134441294956557531n,
  },
  {
    value: VECTOR_ISS,
    maxLen: 124,
    output: 8398631694665123446603739958910623142593616588860834238623145536176403497432n,
  },
  {
    value: 'x'.repeat(124),
    maxLen: 124,
    output: 17358738045534827469180881032805372374711106711876263062680129705045035797227n,
  },
];

export const EXPECTED = {
  /** hashIssuer(VECTOR_ISS) (also of 'accounts.google.com'). */
  issHash: 8398631694665123446603739958910623142593616588860834238623145536176403497432n,
  /** hashSalt(VECTOR_SALT). */
  saltHash: 8710355797896336948214397163008925668009651194162969142210563882816917778857n,
  /** computeIdentityCommitment({ sub, VECTOR_SUB, VECTOR_AUD, VECTOR_ISS, VECTOR_SALT }). */
  idcSub: 5608152033684433680118415952766542668390104942049867064624593637530869547679n,
  /** computeIdentityCommitment({ email, VECTOR_EMAIL, VECTOR_AUD, 'accounts.google.com', VECTOR_SALT }). */
  idcEmail: 2559164540085911672578520888974515853649537818431013983000884290069509794197n,
  keyIdSecp256k1: '0x1aa56c45935d31ee0fb1afee2a74a4ccfb493aae3a7fb79c75d073171cad4d59',
  keyIdP256: '0xd6c0fdccbac4d0467faec571c29111788c19d146ef0a36803856dc4a88fe834d',
  /** computeNonceField({ VECTOR_SECP256K1_KEY, VECTOR_EXPIRY, VECTOR_RANDOMNESS }). */
  nonceFieldSecp256k1: 18180374390753821015804356635200473247850634965018031833949890101606367951241n,
  nonceSecp256k1: 'KDG6LR6t72_KkBc5A0oez0bp_by_pIEQpEz7_Ojk-Yk',
  /** computeNonce({ VECTOR_P256_KEY, VECTOR_EXPIRY, randomness: 0n }). */
  nonceP256: 'Ll7JOy3msdUmRlCnYfQNPpXVLkHxGGelP2TUxaaRGFI',
  modulusHash: 10433140813517316143230948922017333061357960601987878537526088033712420086394n,
  /** openIdAccountSalt({ issHash, idcSub }). */
  openIdAccountSalt: '0xa98b00a6b8119fb85e6e4064c272e9aa7afcc81eb0669fda5c8ab468c6206718',
  /** passkeyAccountSalt({ VECTOR_CREDENTIAL_ID, VECTOR_P256_KEY.x, .y }). */
  passkeyAccountSalt: '0x642076954a9f04de618e27f53339adcf451e1d386f9992d9e44c94da51746f99',
} as const;
