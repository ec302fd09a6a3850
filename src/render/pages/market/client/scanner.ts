/**
 * Camera QR scanning: the browser's BarcodeDetector where it exists (Android Chrome, Safari 17+), otherwise jsQR,
 * loaded only then (public/market.jsqr.js) so phones with a native detector never download it.
 */
export interface Scanner {
  readonly engine: "native" | "jsqr";
  stop(): void;
}

interface DetectedBarcode {
  rawValue: string;
}
interface BarcodeDetectorLike {
  detect(source: CanvasImageSource): Promise<DetectedBarcode[]>;
}
interface BarcodeDetectorClass {
  new (options: { formats: string[] }): BarcodeDetectorLike;
  getSupportedFormats(): Promise<string[]>;
}
type JsQr = (data: Uint8ClampedArray, width: number, height: number, options?: { inversionAttempts?: string }) => { data: string } | null;

async function nativeDetector(): Promise<BarcodeDetectorLike | null> {
  const Detector = (globalThis as { BarcodeDetector?: BarcodeDetectorClass }).BarcodeDetector;
  if (Detector === undefined) return null;
  try {
    const formats = await Detector.getSupportedFormats();
    return formats.includes("qr_code") ? new Detector({ formats: ["qr_code"] }) : null;
  } catch {
    return null;
  }
}

let jsQrLoading: Promise<JsQr> | null = null;

function loadJsQr(): Promise<JsQr> {
  jsQrLoading ??= new Promise<JsQr>((resolve, reject) => {
    const script = document.createElement("script");
    script.src = "/market.jsqr.js";
    script.onload = () => {
      const fn = (globalThis as { jsQR?: JsQr }).jsQR;
      if (fn === undefined) reject(new Error("jsQR did not load"));
      else resolve(fn);
    };
    script.onerror = () => reject(new Error("could not load the QR decoder"));
    document.head.append(script);
  });
  return jsQrLoading;
}

/** Opens the back camera on `video` and calls `onCode` once with the first QR text read. */
export async function startScanner(video: HTMLVideoElement, onCode: (text: string) => void): Promise<Scanner> {
  if (navigator.mediaDevices?.getUserMedia === undefined) throw new Error("此浏览器不支持摄像头（需要 HTTPS）");
  const stream = await navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment", width: { ideal: 1280 } }, audio: false });
  video.srcObject = stream;
  video.setAttribute("playsinline", "true");
  video.muted = true;
  await video.play();
  const native = await nativeDetector();
  const jsQr = native === null ? await loadJsQr() : null;
  const canvas = document.createElement("canvas");
  const context = canvas.getContext("2d", { willReadFrequently: true })!;
  let stopped = false;
  let busy = false;

  const stop = () => {
    stopped = true;
    for (const track of stream.getTracks()) track.stop();
    video.srcObject = null;
  };

  const decode = async (): Promise<string | null> => {
    if (video.readyState < 2 || video.videoWidth === 0) return null;
    if (native !== null) {
      const found = await native.detect(video);
      return found[0]?.rawValue ?? null;
    }
    // Decode a centred square at most 640 px wide: enough for a label held up to the camera, and cheap per frame.
    const side = Math.min(video.videoWidth, video.videoHeight);
    const size = Math.min(side, 640);
    canvas.width = size;
    canvas.height = size;
    context.drawImage(video, (video.videoWidth - side) / 2, (video.videoHeight - side) / 2, side, side, 0, 0, size, size);
    const image = context.getImageData(0, 0, size, size);
    return jsQr!(image.data, size, size, { inversionAttempts: "attemptBoth" })?.data ?? null;
  };

  const tick = () => {
    if (stopped) return;
    if (!busy) {
      busy = true;
      decode()
        .then((text) => {
          if (text !== null && !stopped) {
            stop();
            onCode(text);
          }
        })
        .catch(() => undefined)
        .finally(() => {
          busy = false;
        });
    }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  return { engine: native === null ? "jsqr" : "native", stop };
}
