export { renderCertificatePdf, renderCertificatesPdf, MAX_COPIES } from "./render.js";
export type { BatchOptions, BatchProgress, CertificatePdfOptions, LabelSource } from "./render.js";
export { SIZE_PRESETS, DEFAULT_SIZE } from "./presets.js";
export type { SizePreset } from "./presets.js";
