// Public API of the parameter catalog: import from "@/lib/params".
export { CATALOG, SECTIONS, paramByKey, sectionParams } from "./catalog";
export type { ParamDef, ParamKey, ParamOption, ParamType, ParamValue, SectionDef, SectionId } from "./catalog";
export { checkParam, checkValue, parseInput, rangeMessage } from "./rules";
export { hostError, isIpv4 } from "./host";
export type { InputMode, RuleResult } from "./rules";
export {
  EDITABLE_PARAMS,
  checkPatchValues,
  SECRET_KEYS,
  SECRET_MASK,
  isSecretKey,
  ROOT_ERROR_KEY,
  applicableValues,
  defaultConfig,
  defaultFormValue,
  diffValues,
  formSchema,
  isApplicable,
  maskSecrets,
  parseFormValues,
  sectionSchema,
  toFormValues,
  validateConfig,
  validatePatch,
} from "./schema";
export type { ConfigResult, ConfigValues, FieldErrors, FormValues, MaskedConfigValues, PatchResult } from "./schema";
export { applicabilityNote, defaultText, displayValue, rangeText, unitLabel } from "./describe";
export { formatValue, paramLabel, rawValue } from "./format";
export {
  DEFAULT_MODEL,
  MODELS,
  NOT_SUPPORTED,
  fromModelValue,
  fromModelValues,
  isModel,
  notSupportedMessage,
  profileFor,
  toModelValue,
  toModelValues,
  unsupportedFields,
} from "./profiles";
export type { ModelId, ModelProfile, ModelValues } from "./profiles";
