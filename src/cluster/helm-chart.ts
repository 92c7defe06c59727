import type { HelmChart } from './component.js';
import type { ChartPin } from './versions.js';

/** A chart release from a pin in `versions.ts`, so no component can name its own version. */
export function helmChart(pin: ChartPin, releaseName: string, values: Readonly<Record<string, unknown>>): HelmChart {
  return {
    releaseName,
    repository: { name: pin.repositoryName, url: pin.repositoryUrl },
    chart: pin.chart,
    version: pin.version,
    values,
  };
}
