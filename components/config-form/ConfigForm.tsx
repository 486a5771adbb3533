"use client";
import clsx from "clsx";
import { zodResolver } from "@hookform/resolvers/zod";
import { useEffect, useMemo } from "react";
import { useForm, useWatch } from "react-hook-form";
import {
  CATALOG,
  SECTIONS,
  defaultFormValue,
  diffValues,
  formSchema,
  isApplicable,
  toFormValues,
  type ConfigValues,
  type FieldErrors,
  type FormValues,
  type MaskedConfigValues,
  type ParamDef,
} from "@/lib/params";
import { notSupportedMessage, profileFor, type ModelId } from "@/lib/params/profiles";
import { ConfigField } from "./ConfigField";
import { ReadOnlyStatus } from "./ReadOnlyStatus";
import { SectionNav, type SectionSummary } from "./SectionNav";
import { UnsavedChangesBar } from "./UnsavedChangesBar";
import { fieldId, sectionAnchor } from "./field-ids";
import { useUnsavedChangesGuard } from "./useUnsavedChangesGuard";

const PARAMS = CATALOG as readonly ParamDef[];

/** What the parent reports back from a save: new values (form is reset to them) or field errors to show. */
export type SaveOutcome = { ok: true; values: MaskedConfigValues } | { ok: false; fields?: FieldErrors };

export interface ConfigFormProps {
  /** Current desired config in device representation, secrets null. */
  values: MaskedConfigValues;
  /** Viewers: everything disabled, no Save. */
  readOnly: boolean;
  /** The phone's model: parameters it lacks are shown disabled as "not supported by this model". */
  model?: ModelId;
  /** Receives only the changed keys (device representation). */
  onSave: (changed: ConfigValues) => Promise<SaveOutcome>;
}

/** The device configuration form: every catalog parameter, grouped by section, validated with the catalog schema. */
export function ConfigForm({ values, model, readOnly, onSave }: ConfigFormProps) {
  const profile = profileFor(model);
  const initial = useMemo(() => toFormValues(values), [values]);
  const form = useForm<FormValues, unknown, ConfigValues>({
    resolver: zodResolver(formSchema),
    defaultValues: initial,
    mode: "onChange",
  });
  const { register, control, handleSubmit, reset, setError, setValue, setFocus, formState } = form;
  const current = useWatch({ control }) as FormValues;
  const dirtyKeys = Object.keys(formState.dirtyFields).filter((k) => (formState.dirtyFields as Record<string, unknown>)[k]);
  const errorKeys = Object.keys(formState.errors);
  useUnsavedChangesGuard(dirtyKeys.length > 0 && !readOnly);

  // A new server state (a read, a poll, someone else's save) becomes the baseline of the fields the user has
  // not touched; what the user typed meanwhile stays (and stays marked changed). Discard drops it.
  useEffect(() => reset(initial, { keepDirtyValues: true }), [initial, reset]);

  const summaries: SectionSummary[] = SECTIONS.map((s) => {
    const keys = PARAMS.filter((p) => p.section === s.id).map((p) => p.key);
    return {
      id: s.id,
      title: s.title,
      changed: keys.filter((k) => dirtyKeys.includes(k)).length,
      errors: keys.filter((k) => errorKeys.includes(k)).length,
    };
  });

  const submit = handleSubmit(async (parsed) => {
    // Secrets arrive as null from the server; a typed password always differs and is sent.
    const changed = diffValues(values, parsed);
    if (Object.keys(changed).length === 0) {
      reset(initial);
      return;
    }
    const outcome = await onSave(changed);
    // Saved: the server's config is the new clean baseline (secrets back to "unchanged").
    if (outcome.ok) return reset(toFormValues(outcome.values));
    const entries = Object.entries(outcome.fields ?? {}).filter(([k]) => PARAMS.some((p) => p.key === k));
    for (const [key, message] of entries) setError(key, { type: "server", message });
    if (entries[0]) setFocus(entries[0][0]);
  });

  const resetToDefault = (p: ParamDef) => {
    setValue(p.key, defaultFormValue(p), { shouldDirty: true, shouldValidate: true });
    document.getElementById(fieldId(p.key))?.focus();
  };

  return (
    <form
      onSubmit={submit}
      onKeyDown={(e) => {
        // Enter in a field must not push to the phone: saving is the explicit "Save and push" button.
        if (e.key === "Enter" && e.target instanceof HTMLInputElement) e.preventDefault();
      }}
      noValidate
      aria-label="Device configuration"
      className="flex gap-6"
    >
      <SectionNav sections={summaries} />
      <div className="min-w-0 flex-1">
        {/* A disabled fieldset makes every control read-only for viewers in one place. */}
        <fieldset disabled={readOnly} className="flex min-w-0 flex-col gap-4">
          {SECTIONS.map((s) => (
            <fieldset
              key={s.id}
              id={sectionAnchor(s.id)}
              className="min-w-0 scroll-mt-4 rounded-lg border border-slate-200 bg-white px-4 pb-4 pt-1 shadow-sm"
            >
              <legend className="px-1 text-sm font-semibold text-slate-900">{s.title}</legend>
              <div className="grid grid-cols-1 gap-x-6 gap-y-3 pt-2 lg:grid-cols-2">
                {PARAMS.filter((p) => p.section === s.id).map((p) =>
                  p.readOnly ? (
                    // Firmware-written status: shown when the phone reported it; live registration is above.
                    values[p.key] != null && <ReadOnlyStatus key={p.key} param={p} value={values[p.key]!} />
                  ) : (
                    <ConfigField
                      key={p.key}
                      param={p}
                      register={register}
                      error={formState.errors[p.key]?.message}
                      changed={dirtyKeys.includes(p.key)}
                      applicable={isApplicable(p, current)}
                      unsupported={profile.supports(p.key) ? undefined : notSupportedMessage(profile)}
                      readOnly={readOnly}
                      isDefault={current[p.key] === defaultFormValue(p)}
                      onReset={() => resetToDefault(p)}
                    />
                  ),
                )}
              </div>
            </fieldset>
          ))}
        </fieldset>
        {!readOnly && (
          <UnsavedChangesBar
            count={dirtyKeys.length}
            errors={errorKeys.length}
            saving={formState.isSubmitting}
            onDiscard={() => reset(initial)}
          />
        )}
        <p className={clsx("mt-4 text-xs text-slate-500", readOnly ? "" : "mb-16")}>
          Values are checked against the MT505 parameter catalog here and again on the server{model && model !== "mt505" ? `; they are written in the ${profile.label}` : ""}.
        </p>
      </div>
    </form>
  );
}
