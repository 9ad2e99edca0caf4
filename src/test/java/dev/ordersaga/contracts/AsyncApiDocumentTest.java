package dev.ordersaga.contracts;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import dev.ordersaga.testsupport.NodeScripts;

/**
 * docs/asyncapi.yaml, the messaging contract participants are built against, as the official AsyncAPI parser reads
 * it: not one of its diagnostics is an error (they are all printed, warnings and hints too).
 */
class AsyncApiDocumentTest {

    @Test
    void theMessagingContractParsesWithoutErrors() throws Exception {
        NodeScripts.Outcome parsed = ContractValidators.checkAsyncApi(ContractValidators.ASYNCAPI_DOCUMENT);

        assertThat(parsed.exitCode()).as(parsed.output()).isZero();
        assertThat(parsed.output()).contains("VALID");
    }

    @Test
    void aBrokenReferenceIsAnError(@TempDir Path dir) throws Exception {
        Path broken = dir.resolve("asyncapi.yaml");
        Files.writeString(broken, Files.readString(ContractValidators.ASYNCAPI_DOCUMENT)
                .replace("#/components/messages/HoldPaymentReply", "#/components/messages/NoSuchReply"));

        NodeScripts.Outcome parsed = ContractValidators.checkAsyncApi(broken);

        assertThat(parsed.exitCode()).as(parsed.output()).isEqualTo(1);
        assertThat(parsed.output()).contains("Error invalid-ref", "NoSuchReply");
    }
}
