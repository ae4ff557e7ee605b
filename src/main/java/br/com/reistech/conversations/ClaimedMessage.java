package br.com.reistech.conversations;

/**
 * An outbound message claimed by one sender, with the customer's address read by the same
 * statement, so a number changed before the claim is the one it goes to.
 *
 * @param to the customer's phone number when known, else the business-scoped user id
 */
public record ClaimedMessage(MessageView message, String to) {
}
