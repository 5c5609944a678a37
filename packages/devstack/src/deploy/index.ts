// `@zksso/devstack/deploy`: deploying zkSSO's contracts from their forge artifacts (Node only). A light
// subpath: it loads neither the services nor the circuits, so test harnesses and scripts can use it.
export {
  ArtifactNotFoundError,
  type ContractArtifact,
  contractsRoot,
  defaultArtifactsDir,
  loadAccountAbstractionArtifact,
  loadArtifact,
} from './artifacts.ts';
export {
  CREATE2_DEPLOYER,
  CREATE2_DEPLOYER_RUNTIME,
  type Deployment,
  DeploymentError,
  type DeployOptions,
  deploy,
  ENTRY_POINT_V08,
  ENTRY_POINT_V08_SALT,
  type VerifierDeployment,
  ZKSSO_SALT,
} from './deploy.ts';
