package dev.fhirguard.demo.export;

/**
 * Holds export jobs before each resource type while it is shut, so a demo (or a test) can watch
 * a job in progress: {@code POST /admin/export?mode=hold}, then {@code mode=run}.
 */
final class ExportGate {

  private boolean held;

  synchronized void hold() {
    held = true;
  }

  synchronized void open() {
    held = false;
    notifyAll();
  }

  synchronized boolean isHeld() {
    return held;
  }

  /** Returns at once while the gate is open; otherwise waits until it opens. */
  synchronized void pass() throws InterruptedException {
    while (held) {
      wait();
    }
  }
}
