package dev.fhirguard.spring;

/** {@link ErrorAnswersContract} on Boot's default container, embedded Tomcat. */
class TomcatErrorAnswersTest extends ErrorAnswersContract {}
