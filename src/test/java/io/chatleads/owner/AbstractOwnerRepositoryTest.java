package io.chatleads.owner;

import io.chatleads.support.DatabaseTestBase;
import org.junit.jupiter.api.Test;

import java.util.UUID;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

abstract class AbstractOwnerRepositoryTest extends DatabaseTestBase {

    @Test
    void createdOwnerHasUuidIdAndIsFound() {
        Owner owner = app.owners().create("owner-" + UUID.randomUUID() + "@example.com");
        assertEquals(owner.id(), UUID.fromString(owner.id()).toString());
        assertEquals(owner, app.owners().find(owner.id()).orElseThrow());
        assertTrue(app.owners().any());
    }

    @Test
    void emailIsUniqueIgnoringCase() {
        String local = "dup-" + UUID.randomUUID();
        app.owners().create(local + "@example.com");
        assertThrows(OwnerRepository.DuplicateOwnerException.class,
                () -> app.owners().create(local.toUpperCase() + "@EXAMPLE.com"));
    }

    @Test
    void unknownOwnerIsEmpty() {
        assertTrue(app.owners().find(UUID.randomUUID().toString()).isEmpty());
    }
}
