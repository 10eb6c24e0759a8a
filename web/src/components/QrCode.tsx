import { useMemo } from 'react';
import { encode } from 'uqr';

/**
 * A QR code drawn as inline SVG, computed in the browser (the otpauth secret
 * must never go to another service). One path of 1×1 squares, black on white
 * with the 4-module quiet zone scanners expect.
 */
export function QrCode({ text, label, size = 200 }: { text: string; label: string; size?: number }) {
  const { d, n } = useMemo(() => {
    const qr = encode(text, { ecc: 'M', border: 4 });
    let path = '';
    qr.data.forEach((row, y) =>
      row.forEach((dark, x) => {
        if (dark) path += `M${x} ${y}h1v1h-1z`;
      }),
    );
    return { d: path, n: qr.size };
  }, [text]);
  return (
    <svg
      className="cst-qr"
      role="img"
      aria-label={label}
      width={size}
      height={size}
      viewBox={`0 0 ${n} ${n}`}
      shapeRendering="crispEdges"
      data-testid="totp-qr"
    >
      <rect width={n} height={n} fill="#fff" />
      <path d={d} fill="#000" />
    </svg>
  );
}
