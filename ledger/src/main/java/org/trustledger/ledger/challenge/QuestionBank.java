package org.trustledger.ledger.challenge;

import java.io.IOException;
import java.io.InputStream;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/**
 * The Assurer Challenge's questions about the rules of DOMAIN.md, shipped in
 * {@code challenge/questions.json}: each with options and exactly one correct answer, which never
 * leaves the server. A challenge draws {@value #QUESTIONS_PER_CHALLENGE} of them at random.
 */
public class QuestionBank {

    public static final int QUESTIONS_PER_CHALLENGE = 25;
    public static final int MINIMUM_BANK_SIZE = 40;

    /** A question as stored, with its answer. */
    public record Question(String id, String question, List<String> options, int answer) {
    }

    private final Map<String, Question> questions;

    public QuestionBank(List<Question> questions) {
        Map<String, Question> byId = new LinkedHashMap<>();
        for (Question q : questions) {
            if (q.options() == null || q.options().size() < 2 || q.answer() < 0 || q.answer() >= q.options().size()) {
                throw new IllegalArgumentException("Question " + q.id() + " needs options and one correct answer among them");
            }
            if (byId.put(q.id(), q) != null) {
                throw new IllegalArgumentException("Question id " + q.id() + " appears twice");
            }
        }
        if (byId.size() < MINIMUM_BANK_SIZE) {
            throw new IllegalArgumentException("The bank needs at least " + MINIMUM_BANK_SIZE + " questions, has " + byId.size());
        }
        this.questions = Collections.unmodifiableMap(byId);
    }

    /** The bank shipped with the ledger. */
    public static QuestionBank shipped() {
        try (InputStream in = QuestionBank.class.getResourceAsStream("/challenge/questions.json")) {
            if (in == null) {
                throw new IllegalStateException("challenge/questions.json is missing from the classpath");
            }
            return new QuestionBank(JsonMapper.builder().build().readValue(in, new TypeReference<List<Question>>() { }));
        } catch (IOException e) {
            throw new IllegalStateException("Cannot read the question bank", e);
        }
    }

    public int size() {
        return questions.size();
    }

    public Question question(String id) {
        return questions.get(id);
    }

    /** {@value #QUESTIONS_PER_CHALLENGE} distinct question ids in random order. */
    public List<String> draw(SecureRandom random) {
        List<String> ids = new ArrayList<>(questions.keySet());
        Collections.shuffle(ids, random);
        return List.copyOf(ids.subList(0, QUESTIONS_PER_CHALLENGE));
    }

    /** How many of the answers (question id to chosen option) are correct; only the drawn questions count. */
    public int correct(List<String> drawn, Map<String, Integer> answers) {
        Set<String> asked = new HashSet<>(drawn);
        int correct = 0;
        for (Map.Entry<String, Integer> a : answers.entrySet()) {
            Question q = questions.get(a.getKey());
            if (q != null && asked.contains(a.getKey()) && a.getValue() != null && a.getValue() == q.answer()) {
                correct++;
            }
        }
        return correct;
    }
}
