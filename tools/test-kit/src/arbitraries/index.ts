// fast-check arbitraries for hostile input, shared by the keys package's property tests and the
// fuzz project (tools/fuzz). A subpath of its own: importing it pulls in no store and no Redis client.

export {
  type ContainerKind,
  containerKinds,
  countReads,
  cycleArbitrary,
  cycleThrough,
  dagArbitrary,
  hostileValue,
  reads,
  sharedDag,
  sharing,
  WorkLimitExceeded,
} from "./hostile-values";
export {
  anyString,
  codecValue,
  jsonValue,
  nestedOf,
  objectFrom,
  objectKey,
  shuffleKeys,
  supportedValue,
} from "./values";
