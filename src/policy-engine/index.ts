/**
 * Offline Kyverno ValidatingPolicy evaluator: load a policy set, evaluate objects, run Kyverno CLI
 * test suites. Everything else in this folder is internal.
 */
export { readObjects, parseObjects, streamObjects, type KubeObject, type SourceObject } from './documents.js';
export { isNamespace, PolicyEngine } from './evaluate.js';
export { compilePolicySet, loadPolicySet, type PolicySetSources } from './policy-set.js';
export { policyResultSchema, tallyResults, type PolicyInfo, type PolicyResult, type ResourceRef, type ResultStatus, type ResultTally } from './result.js';
export { findTestFiles, runTestFile, runTests, TEST_FILE_NAME, type TestCaseResult, type TestRunSummary } from './kyverno-test.js';
export { CLUSTER_SCOPED_KINDS } from './match.js';
