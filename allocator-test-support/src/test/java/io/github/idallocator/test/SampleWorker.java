package io.github.idallocator.test;

import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicLong;

/** A worker main for the harness's own tests: logs events and ids on command, prints READY, stops on "stop". */
public final class SampleWorker {

    private SampleWorker() {}

    public static void main(String[] args) {
        String name = args[0];
        AtomicLong counter = new AtomicLong(Long.parseLong(args[1]));
        try (EventLog log = EventLog.open(name, Path.of("."))) {
            EventLog.IdSink ids = log.idSink();
            WorkerControl control = new WorkerControl()
                    .on("ids", words -> {
                        for (int i = 0; i < Integer.parseInt(words[0]); i++) {
                            ids.add(counter.getAndIncrement());
                        }
                    })
                    .on(
                            "hold",
                            words -> log.hold(
                                    "r",
                                    Long.parseLong(words[0]),
                                    Long.parseLong(words[1]),
                                    System.nanoTime() + Long.parseLong(words[2]) * 1_000_000))
                    .on("end", words -> log.end("r", Long.parseLong(words[0]), Long.parseLong(words[1]), "freed"))
                    .on("fail", words -> log.error(new IllegalStateException("asked to fail")))
                    .on("crash-thread", words -> {
                        Thread thread = new Thread(() -> {
                            throw new IllegalStateException("asked to crash");
                        });
                        thread.start();
                        try {
                            thread.join();
                        } catch (InterruptedException e) {
                            Thread.currentThread().interrupt();
                        }
                    })
                    .on("echo", words -> System.out.println("ECHO " + String.join(" ", words)));
            control.listen();
            control.ready("pid=" + ProcessHandle.current().pid());
            control.awaitStop();
        }
        System.exit(0);
    }
}
