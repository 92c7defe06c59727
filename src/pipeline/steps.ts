/**
 * The synth pipeline's steps, run in this order for every environment. Append new steps here.
 */
import { awsStep } from './aws-step.js';
import { clusterStep } from './cluster-step.js';
import { promotionStep } from './promotion-step.js';
import type { EnvironmentStep } from './step.js';

export const STEPS: readonly EnvironmentStep[] = [
  awsStep,
  clusterStep,
  promotionStep,
];
