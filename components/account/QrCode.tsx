"use client";
// A QR code drawn as one SVG path from the `qrcode` library's module matrix: no canvas, no data: URL and no
// injected markup, so it needs nothing from the page's CSP and scales crisply.
import QRCode from "qrcode";
import { useMemo } from "react";

const QUIET = 4; // modules of white border the QR standard asks for

export function QrCode({ value, label, size = 200 }: { value: string; label: string; size?: number }) {
  const { path, width } = useMemo(() => {
    const { modules } = QRCode.create(value, { errorCorrectionLevel: "M" });
    let d = "";
    for (let y = 0; y < modules.size; y++)
      for (let x = 0; x < modules.size; x++) if (modules.get(y, x)) d += `M${x + QUIET} ${y + QUIET}h1v1h-1z`;
    return { path: d, width: modules.size + 2 * QUIET };
  }, [value]);
  return (
    <svg role="img" aria-label={label} width={size} height={size} viewBox={`0 0 ${width} ${width}`} shapeRendering="crispEdges" data-testid="totp-qr" className="rounded border border-slate-200">
      <rect width={width} height={width} fill="#fff" />
      <path d={path} fill="#000" />
    </svg>
  );
}
