package dev.notebench.train;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.pytorch.jni.JniUtils;
import dev.notebench.ErrorCode;
import dev.notebench.NotebenchException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Picks the device and checks the precision against it. */
final class Devices {
    private static final Logger LOG = LoggerFactory.getLogger(Devices.class);

    private Devices() {
    }

    static Device select(String device, Precision precision) {
        int gpus = Engine.getInstance().getGpuCount();
        Device d = switch (device) {
            case "cpu" -> Device.cpu();
            case "cuda" -> {
                if (gpus == 0) {
                    throw new NotebenchException(ErrorCode.CONFIG_INVALID, "device cuda was asked for, but DJL sees no GPU on this"
                            + " machine; use --device cpu or auto, or install DJL's CUDA natives (README, GPU)");
                }
                yield Device.gpu(0);
            }
            default -> gpus > 0 ? Device.gpu(0) : Device.cpu();
        };
        if (precision == Precision.BF16) {
            throw new NotebenchException(ErrorCode.CONFIG_INVALID, "bf16 is not supported: DJL's PyTorch JNI crashes the JVM on"
                    + " BFLOAT16 arrays; use fp32, or fp16 on a GPU");
        }
        if (precision == Precision.FP16 && !d.isGpu()) {
            LOG.warn("fp16 mixed precision on the CPU is correct but slow (fp16 matrix products measured 50x slower than fp32"
                    + " here); it is meant for GPUs: use fp32 on the CPU");
        }
        return d;
    }

    static void threads(int threads) {
        if (threads > 0) {
            JniUtils.setNumThreads(threads);
        }
    }
}
