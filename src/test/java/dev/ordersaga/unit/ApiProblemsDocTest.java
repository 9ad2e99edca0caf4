package dev.ordersaga.unit;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import dev.ordersaga.api.ProblemType;

/** docs/api-problems.md lists every problem type the API answers with, with its status and title. */
class ApiProblemsDocTest {

    private static final Path DOC = Path.of("docs", "api-problems.md");

    @ParameterizedTest
    @EnumSource(ProblemType.class)
    void theProblemsDocListsEveryType(ProblemType type) throws IOException {
        String row = "| `" + type.uri() + "` | " + type.status() + " | " + type.title() + " |";

        assertThat(Files.readAllLines(DOC)).anyMatch(line -> line.startsWith(row));
    }
}
