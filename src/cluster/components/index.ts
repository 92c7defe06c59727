/**
 * The components every environment's cluster layer installs, in render order. A new component
 * is one factory here; ordering between components comes from their `dependsOn`. A factory
 * returns nothing where the environment switches its component off (the Cluster Autoscaler).
 */
import type { ComponentFactory } from '../component.js';
import { adrPoliciesComponent } from './adr-policies.js';
import { brupopComponent } from './brupop.js';
import { certManagerComponent } from './cert-manager.js';
import { cisCollectorComponent } from './cis-collector.js';
import { clusterAutoscalerComponent } from './cluster-autoscaler.js';
import { falcoComponent } from './falco.js';
import { kyvernoComponent } from './kyverno.js';

export const CLUSTER_COMPONENTS: readonly ComponentFactory[] = [
  certManagerComponent,
  brupopComponent,
  falcoComponent,
  kyvernoComponent,
  adrPoliciesComponent,
  cisCollectorComponent,
  clusterAutoscalerComponent,
];
