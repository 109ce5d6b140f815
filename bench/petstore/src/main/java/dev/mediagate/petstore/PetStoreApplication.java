package dev.mediagate.petstore;

import java.util.List;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Import;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The reference application: Boot's full auto-configuration and one JSON route, as the pet-store sample has. */
@SpringBootApplication
@Import(PetStoreApplication.PetsController.class)
public class PetStoreApplication {

    record Pet(String id, String name, String breed) {
    }

    @RestController
    static class PetsController {

        @GetMapping("/pets")
        List<Pet> pets() {
            return List.of(new Pet("1", "Bailey", "Beagle"), new Pet("2", "Bella", "Boxer"), new Pet("3", "Max", "Pug"));
        }
    }
}
