package dev.foresight.worker.cli;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Arrays;
import picocli.CommandLine;

/** Runs the real {@code foresight} command line in this JVM and captures what it prints. */
public final class Cli {

  /** The exit code, standard output and standard error of one run. */
  public record Run(int exitCode, String out, String err) {
    public Run expectSuccess() {
      if (exitCode != 0) {
        throw new AssertionError("foresight exited with " + exitCode + "\nout: " + out + "\nerr: " + err);
      }
      return this;
    }
  }

  private Cli() {}

  public static Run run(String... args) {
    CommandLine cli = ForesightCli.commandLine();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    cli.setOut(new PrintWriter(out, true));
    cli.setErr(new PrintWriter(err, true));
    int code = cli.execute(args);
    return new Run(code, out.toString(), err.toString());
  }

  /** For messages: the command as a person would type it. */
  public static String describe(String... args) {
    return "foresight " + String.join(" ", Arrays.asList(args));
  }
}
